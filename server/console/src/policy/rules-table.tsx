import { CHANNELS } from '../../../../utils/policy/schema';
import { label, t } from '../i18n/messages';
import { FieldErrors, SelectInput, useDraft } from './fields';
import { actionOptions, levelOptions, zoneOptions } from './options';

function newRuleId(existing: unknown[]): string {
  const ids = new Set(existing.map((rule) => (rule && typeof rule === 'object' ? (rule as { id?: unknown }).id : undefined)));
  let n = existing.length + 1;
  while (ids.has(`rule-${n}`)) n++;
  return `rule-${n}`;
}

export function RulesTable() {
  const { get, set, readOnly, errors } = useDraft();
  const hasErrors = (index: number) => [...errors.keys()].some((at) => at === `rules.${index}` || at.startsWith(`rules.${index}.`));
  const raw = get(['rules']);
  const rules = Array.isArray(raw) ? raw : [];

  const move = (from: number, to: number) => {
    if (to < 0 || to >= rules.length) return;
    const next = [...rules];
    const [rule] = next.splice(from, 1);
    next.splice(to, 0, rule);
    set(['rules'], next);
  };
  const toggleChannel = (index: number, channel: string, on: boolean) => {
    const current = get(['rules', index, 'channels']);
    const list = Array.isArray(current) ? current.filter((c) => c !== channel) : [];
    set(['rules', index, 'channels'], on ? CHANNELS.filter((c) => c === channel || list.includes(c)) : list);
  };

  return (
    <div class="rules table-wrap">
      <table class="table rules-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('policy.field.ruleId')}</th>
            <th>{t('policy.field.channels')}</th>
            <th>{t('policy.field.minLevel')}</th>
            <th>{t('policy.field.source')}</th>
            <th>{t('policy.field.destination')}</th>
            <th>{t('policy.field.action')}</th>
            <th>{t('policy.field.description')}</th>
            {!readOnly && <th class="no-print" />}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => {
            const channels = get(['rules', index, 'channels']);
            const id = get(['rules', index, 'id']);
            const description = get(['rules', index, 'description']);
            return [
              <tr key={`r${index}`} data-rule-index={index}>
                <td class="num">{index + 1}</td>
                <td>
                  <input
                    class="rule-id"
                    aria-label={t('policy.field.ruleId')}
                    value={typeof id === 'string' ? id : ''}
                    disabled={readOnly}
                    onInput={(e) => set(['rules', index, 'id'], e.currentTarget.value)}
                  />
                </td>
                <td>
                  <div class="chip-grid">
                    {CHANNELS.map((channel) => (
                      <label key={channel} class="chip">
                        <input
                          type="checkbox"
                          checked={Array.isArray(channels) && channels.includes(channel)}
                          disabled={readOnly}
                          onChange={(e) => toggleChannel(index, channel, e.currentTarget.checked)}
                        />
                        {label('channel', channel)}
                      </label>
                    ))}
                  </div>
                </td>
                <td>
                  <SelectInput path={['rules', index, 'minLevel']} options={levelOptions()} ariaLabel={t('policy.field.minLevel')} />
                </td>
                <td>
                  <SelectInput path={['rules', index, 'source']} options={zoneOptions()} ariaLabel={t('policy.field.source')} />
                </td>
                <td>
                  <SelectInput path={['rules', index, 'destination']} options={zoneOptions()} ariaLabel={t('policy.field.destination')} />
                </td>
                <td>
                  <SelectInput path={['rules', index, 'action']} options={actionOptions()} ariaLabel={t('policy.field.action')} />
                </td>
                <td>
                  <textarea
                    rows={2}
                    aria-label={t('policy.field.description')}
                    value={typeof description === 'string' ? description : ''}
                    disabled={readOnly}
                    onInput={(e) => {
                      const text = e.currentTarget.value;
                      set(['rules', index, 'description'], text === '' ? undefined : text);
                    }}
                  />
                </td>
                {!readOnly && (
                  <td class="row-actions no-print">
                    <button
                      type="button"
                      class="btn btn-small"
                      title={t('common.moveUp')}
                      aria-label={t('common.moveUp')}
                      disabled={index === 0}
                      onClick={() => move(index, index - 1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="btn btn-small"
                      title={t('common.moveDown')}
                      aria-label={t('common.moveDown')}
                      disabled={index === rules.length - 1}
                      onClick={() => move(index, index + 1)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="btn btn-small btn-danger"
                      onClick={() =>
                        set(
                          ['rules'],
                          rules.filter((_, i) => i !== index),
                        )
                      }
                    >
                      {t('common.remove')}
                    </button>
                  </td>
                )}
              </tr>,
              hasErrors(index) && (
                <tr key={`e${index}`} class="error-row">
                  <td colSpan={9}>
                    <FieldErrors path={['rules', index]} deep />
                  </td>
                </tr>
              ),
            ];
          })}
        </tbody>
      </table>
      <FieldErrors path={['rules']} />
      {!readOnly && (
        <button
          type="button"
          class="btn no-print"
          onClick={() =>
            set(
              ['rules'],
              [
                ...rules,
                { id: newRuleId(rules), channels: ['copy'], minLevel: '秘密', source: 'any', destination: 'any', action: 'audit' },
              ],
            )
          }
        >
          + {t('policy.field.addRule')}
        </button>
      )}
    </div>
  );
}
