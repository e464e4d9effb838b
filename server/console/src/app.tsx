import { inLanguage } from '../../../utils/policy/bilingual';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, logout, me, mustChangePassword, setUnauthorizedHandler, type AdminUser, type SessionResponse } from './api';
import { getLang, label, onLangChange, t, type MessageKey } from './i18n/messages';
import { hasPermission as can, type Permission } from '../../../utils/api/permissions';
import { navigate, useRoute } from './router';
import { ErrorBox, Loading } from './components/common';
import { LanguageSwitch } from './components/language-switch';
import { LoginPage } from './pages/login';
import { PolicyPage } from './policy/policy-page';
import { EventsPage } from './pages/events';
import { OverridesPage } from './pages/overrides';
import { DevicesPage } from './pages/devices';
import { ReportPage } from './pages/report';
import { AuditPage } from './pages/audit';
import { UsersPage } from './pages/users';
import { ChangePasswordPage } from './pages/password';
import { OverviewPage } from './pages/overview';
import { IncidentsPage } from './pages/incidents';
import { CustomerRegisterPage } from './pages/customer-register';
import { AlertsPage } from './pages/alerts';
import { DeploymentPage } from './pages/deployment';

export interface PageProps {
  user: AdminUser;
}

interface Route {
  path: string;
  title: MessageKey;
  permission: Permission;
  page: ComponentType<PageProps>;
}

// The first route a role may open is where it lands after login (the overview, or an approver's queue).
const ROUTES: Route[] = [
  { path: '/overview', title: 'nav.overview', permission: 'overview:read', page: OverviewPage },
  { path: '/policy', title: 'nav.policy', permission: 'policy:read', page: PolicyPage },
  { path: '/events', title: 'nav.events', permission: 'events:read', page: EventsPage },
  { path: '/overrides', title: 'nav.overrides', permission: 'overrides:decide', page: OverridesPage },
  { path: '/incidents', title: 'nav.incidents', permission: 'incidents:read', page: IncidentsPage },
  { path: '/devices', title: 'nav.devices', permission: 'devices:read', page: DevicesPage },
  { path: '/report', title: 'nav.report', permission: 'reports:read', page: ReportPage },
  { path: '/audit', title: 'nav.audit', permission: 'audit:read', page: AuditPage },
  { path: '/users', title: 'nav.users', permission: 'users:manage', page: UsersPage },
  { path: '/customer-register', title: 'nav.register', permission: 'register:import', page: CustomerRegisterPage },
  { path: '/alerts', title: 'nav.alerts', permission: 'alerts:manage', page: AlertsPage },
  { path: '/deployment', title: 'nav.deployment', permission: 'deployment:manage', page: DeploymentPage },
];

/** Open to every signed-in user; the only page while a one-time password must be replaced. */
const PASSWORD_ROUTE = '/password';

type Session =
  { state: 'checking' } | { state: 'anonymous'; notice?: string } | { state: 'error'; error: unknown } | { state: 'in'; user: AdminUser };

export function App() {
  const [, setLangTick] = useState(0);
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const route = useRoute();

  useEffect(() => onLangChange(() => setLangTick((n) => n + 1)), []);
  useEffect(() => {
    document.title = t('app.title');
  });

  function checkSession() {
    setSession({ state: 'checking' });
    me().then(
      (result) => setSession({ state: 'in', user: result.user }),
      (error: unknown) =>
        setSession(
          error instanceof ApiError && (error.status === 401 || error.status === 403) ? { state: 'anonymous' } : { state: 'error', error },
        ),
    );
  }

  useEffect(() => {
    checkSession();
    setUnauthorizedHandler(() => setSession({ state: 'anonymous', notice: t('app.sessionExpired') }));
    return () => setUnauthorizedHandler(null);
  }, []);

  const user = session.state === 'in' ? session.user : null;
  const allowed = user ? ROUTES.filter((candidate) => can(user.role, candidate.permission)) : [];
  const active = allowed.find((candidate) => candidate.path === route);
  const forcedChange = user !== null && mustChangePassword(user);
  const onPasswordPage = route === PASSWORD_ROUTE || forcedChange;
  // An unknown route, or one this role may not open (a bookmark, the previous user's page): go to the first allowed page.
  // A one-time password leads to the change screen, whatever the route.
  useEffect(() => {
    if (forcedChange) navigate(PASSWORD_ROUTE);
    else if (user && !active && route !== PASSWORD_ROUTE && allowed[0]) navigate(allowed[0].path);
  }, [user, route]);

  if (session.state === 'checking')
    return (
      <main class="center">
        <Loading />
      </main>
    );
  if (session.state === 'error')
    return (
      <main class="center">
        <ErrorBox error={session.error} onRetry={checkSession} />
      </main>
    );
  if (session.state === 'anonymous') {
    return <LoginPage notice={session.notice} onLogin={(result: SessionResponse) => setSession({ state: 'in', user: result.user })} />;
  }

  const signedIn = session.user;
  const forbidden = allowed.length === 0;

  /** After the forced change: the session's user afresh (no longer forced), then the first page of the role. */
  function enterConsole() {
    navigate('/');
    checkSession();
  }

  async function doLogout() {
    await logout().catch(() => undefined);
    setSession({ state: 'anonymous' });
  }

  const Page = active?.page;
  return (
    <div class="shell">
      <header class="topbar no-print">
        <a class="brand" href="#/">
          {t('app.title')}
        </a>
        <div class="topbar-right">
          <span class="who" data-testid="current-user">
            {inLanguage(signedIn.displayName, getLang()) || signedIn.username} · {label('role', signedIn.role)}
          </span>
          <LanguageSwitch />
          <a class="btn btn-link" href={`#${PASSWORD_ROUTE}`} data-testid="change-password">
            {t('app.changePassword')}
          </a>
          <button type="button" class="btn btn-link" onClick={doLogout} data-testid="logout">
            {t('app.logout')}
          </button>
        </div>
      </header>
      <nav class="sidenav no-print" aria-label="main">
        {!forcedChange &&
          allowed.map((item) => (
            <a key={item.path} href={`#${item.path}`} class={item.path === route ? 'active' : ''} data-nav={item.path.slice(1)}>
              {t(item.title)}
            </a>
          ))}
      </nav>
      <main class="content">
        {onPasswordPage ? (
          <ChangePasswordPage key={signedIn.username} forced={forcedChange} onChanged={forcedChange ? enterConsole : undefined} />
        ) : Page ? (
          <Page user={signedIn} />
        ) : forbidden ? (
          <p class="alert alert-warn">{t('app.forbidden')}</p>
        ) : (
          <Loading />
        )}
      </main>
    </div>
  );
}
