/**
 * Who is who (issue 27), the IT administrator's part: which identity provider the server uses
 * (from its environment, shown here), whether a typed name may enroll (off by default), and
 * which directory group gives which console role.
 */
import { useEffect, useState } from 'preact/hooks';
import { getIdentitySettings, putIdentitySettings, type GroupRoleRule, type IdentitySettings } from '../api';
import { ErrorBox, Loading } from '../components/common';
import { label, t } from '../i18n/messages';
import { useLoad } from '../lib/use-load';
import { ROLES } from '../../../../utils/api/permissions';

function ProviderInfo({ oidc }: { oidc: IdentitySettings['oidc'] }) {
  if (!oidc.configured)
    return (
      <p class="muted" data-testid="oidc-off">
        {t('idsettings.oidcOff')}
      </p>
    );
  return (
    <dl class="facts" data-testid="oidc-on">
      <dt>{t('idsettings.issuer')}</dt>
      <dd class="mono">{oidc.issuer}</dd>
      <dt>{t('idsettings.clientId')}</dt>
      <dd class="mono">{oidc.clientId}</dd>
      <dt>{t('idsettings.redirect')}</dt>
      <dd class="mono">{oidc.redirectUrl ?? t('idsettings.redirectAuto')}</dd>
      <dt />
      <dd class="small muted">{t('idsettings.claims', oidc.claims)}</dd>
    </dl>
  );
}

export function IdentitySettingsCard() {
  const settings = useLoad(() => getIdentitySettings(), []);
  const [selfDeclared, setSelfDeclared] = useState(false);
  const [rules, setRules] = useState<GroupRoleRule[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!settings.data) return;
    setSelfDeclared(settings.data.selfDeclared);
    setRules(settings.data.groupRoles);
  }, [settings.data]);

  const change = (index: number, patch: Partial<GroupRoleRule>) => {
    setSaved(false);
    setRules(rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));
  };

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const kept = rules.map((rule) => ({ ...rule, group: rule.group.trim() })).filter((rule) => rule.group);
      await putIdentitySettings({ selfDeclared, groupRoles: kept });
      setRules(kept);
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  if (!settings.data) return settings.error ? <ErrorBox error={settings.error} onRetry={settings.reload} /> : <Loading />;
  return (
    <section class="card" data-testid="identity-settings">
      <h2>{t('idsettings.title')}</h2>
      <p class="muted">{t('idsettings.intro')}</p>
      <h3>{t('idsettings.oidc')}</h3>
      <ProviderInfo oidc={settings.data.oidc} />
      <form onSubmit={save}>
        <label class="check">
          <input
            type="checkbox"
            name="selfDeclared"
            checked={selfDeclared}
            onChange={(e) => {
              setSaved(false);
              setSelfDeclared(e.currentTarget.checked);
            }}
          />{' '}
          {t('idsettings.selfDeclared')}
        </label>
        <p class="small muted">{t('idsettings.selfDeclaredHint')}</p>
        <h3>{t('idsettings.groups')}</h3>
        <p class="small muted">{t('idsettings.groupsHint')}</p>
        <table class="table" data-testid="group-roles">
          <thead>
            <tr>
              <th>{t('idsettings.group')}</th>
              <th>{t('idsettings.role')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule, index) => (
              <tr key={index}>
                <td>
                  <input name="group" value={rule.group} maxLength={300} onInput={(e) => change(index, { group: e.currentTarget.value })} />
                </td>
                <td>
                  <select
                    name="role"
                    value={rule.role}
                    onChange={(e) => change(index, { role: e.currentTarget.value as GroupRoleRule['role'] })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {label('role', role)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" class="btn btn-small btn-danger" onClick={() => setRules(rules.filter((_, i) => i !== index))}>
                    {t('idsettings.removeRule')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <button
            type="button"
            class="btn btn-small"
            data-action="add-rule"
            onClick={() => setRules([...rules, { group: '', role: 'auditor' }])}
          >
            {t('idsettings.addRule')}
          </button>{' '}
          <button type="submit" class="btn btn-primary" disabled={busy} data-action="save-identity">
            {t('idsettings.save')}
          </button>{' '}
          {saved && <span class="muted">{t('idsettings.saved')}</span>}
        </p>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
