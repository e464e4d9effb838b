import { inLanguage } from '../../../utils/policy/bilingual';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, logout, me, setUnauthorizedHandler, type AdminUser, type SessionResponse } from './api';
import { getLang, label, onLangChange, t, type MessageKey } from './i18n/messages';
import { can, type Capability } from './permissions';
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
import { CustomerRegisterPage } from './pages/customer-register';

export interface PageProps {
  user: AdminUser;
}

interface Route {
  path: string;
  title: MessageKey;
  capability: Capability;
  page: ComponentType<PageProps>;
}

const ROUTES: Route[] = [
  { path: '/policy', title: 'nav.policy', capability: 'policy.view', page: PolicyPage },
  { path: '/events', title: 'nav.events', capability: 'events.view', page: EventsPage },
  { path: '/overrides', title: 'nav.overrides', capability: 'overrides.decide', page: OverridesPage },
  { path: '/devices', title: 'nav.devices', capability: 'devices.view', page: DevicesPage },
  { path: '/report', title: 'nav.report', capability: 'report.view', page: ReportPage },
  { path: '/audit', title: 'nav.audit', capability: 'audit.view', page: AuditPage },
  { path: '/users', title: 'nav.users', capability: 'users.manage', page: UsersPage },
  { path: '/customer-register', title: 'nav.register', capability: 'register.import', page: CustomerRegisterPage },
];

type Session = { state: 'checking' } | { state: 'anonymous'; notice?: string } | { state: 'error'; error: unknown } | { state: 'in'; user: AdminUser };

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
        setSession(error instanceof ApiError && (error.status === 401 || error.status === 403) ? { state: 'anonymous' } : { state: 'error', error }),
    );
  }

  useEffect(() => {
    checkSession();
    setUnauthorizedHandler(() => setSession({ state: 'anonymous', notice: t('app.sessionExpired') }));
    return () => setUnauthorizedHandler(null);
  }, []);

  const user = session.state === 'in' ? session.user : null;
  const allowed = user ? ROUTES.filter((candidate) => can(user.role, candidate.capability)) : [];
  const active = allowed.find((candidate) => candidate.path === route);
  // An unknown route, or one this role may not open (a bookmark, the previous user's page): go to the first allowed page.
  useEffect(() => {
    if (user && !active && allowed[0]) navigate(allowed[0].path);
  }, [user, route]);

  if (session.state === 'checking') return <main class="center"><Loading /></main>;
  if (session.state === 'error') return <main class="center"><ErrorBox error={session.error} onRetry={checkSession} /></main>;
  if (session.state === 'anonymous') {
    return <LoginPage notice={session.notice} onLogin={(result: SessionResponse) => setSession({ state: 'in', user: result.user })} />;
  }

  const signedIn = session.user;
  const forbidden = allowed.length === 0;

  async function doLogout() {
    await logout().catch(() => undefined);
    setSession({ state: 'anonymous' });
  }

  const Page = active?.page;
  return (
    <div class="shell">
      <header class="topbar no-print">
        <a class="brand" href="#/">{t('app.title')}</a>
        <div class="topbar-right">
          <span class="who" data-testid="current-user">
            {inLanguage(signedIn.displayName, getLang()) || signedIn.username} · {label('role', signedIn.role)}
          </span>
          <LanguageSwitch />
          <button type="button" class="btn btn-link" onClick={doLogout} data-testid="logout">
            {t('app.logout')}
          </button>
        </div>
      </header>
      <nav class="sidenav no-print" aria-label="main">
        {allowed.map((item) => (
          <a key={item.path} href={`#${item.path}`} class={item.path === route ? 'active' : ''} data-nav={item.path.slice(1)}>
            {t(item.title)}
          </a>
        ))}
      </nav>
      <main class="content">
        {Page ? <Page user={signedIn} /> : forbidden ? <p class="alert alert-warn">{t('app.forbidden')}</p> : <Loading />}
      </main>
    </div>
  );
}
