import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n/messages';
import { CheckField, FieldErrors, NumberField, SelectField, SelectInput, TextField, useDraft } from './fields';
import { levelOptions } from './options';
import { RulesTable } from './rules-table';

const SIMPLE_DETECTORS = ['mobile', 'landline', 'service', 'residentId', 'bankCard', 'email'] as const;

function InternalOrigins() {
  const { get, set, readOnly } = useDraft();
  const [fresh, setFresh] = useState('');
  const raw = get(['internalOrigins']);
  const origins = Array.isArray(raw) ? raw : [];
  const add = () => {
    const value = fresh.trim();
    if (!value) return;
    set(['internalOrigins'], [...origins, value]);
    setFresh('');
  };
  return (
    <div class="origins">
      <ul class="origin-list" data-testid="origin-list">
        {origins.map((origin, index) => (
          <li key={index}>
            <input
              class="wide"
              aria-label={`internalOrigins.${index}`}
              value={typeof origin === 'string' ? origin : String(origin)}
              disabled={readOnly}
              onInput={(e) => set(['internalOrigins', index], e.currentTarget.value)}
            />
            {!readOnly && (
              <button type="button" class="btn btn-small btn-danger no-print" onClick={() => set(['internalOrigins'], origins.filter((_, i) => i !== index))}>
                {t('common.remove')}
              </button>
            )}
            <FieldErrors path={['internalOrigins', index]} />
          </li>
        ))}
        {origins.length === 0 && <li class="muted">{t('common.none')}</li>}
      </ul>
      <FieldErrors path={['internalOrigins']} />
      {!readOnly && (
        <form
          class="inline-form no-print"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <input
            class="wide"
            data-testid="origin-new"
            placeholder={t('policy.field.originNew')}
            aria-label={t('policy.field.originNew')}
            value={fresh}
            onInput={(e) => setFresh(e.currentTarget.value)}
          />
          <button type="submit" class="btn" data-testid="origin-add">
            {t('common.add')}
          </button>
        </form>
      )}
      <p class="hint">{t('policy.field.originHint')}</p>
    </div>
  );
}

function Detectors() {
  const { get } = useDraft();
  const extra = get(['detectors', 'marker', 'extraTerms']);
  return (
    <table class="table detectors">
      <thead>
        <tr>
          <th />
          <th>{t('policy.field.enabled')}</th>
          <th>{t('policy.field.level')}</th>
        </tr>
      </thead>
      <tbody>
        {SIMPLE_DETECTORS.map((name) => (
          <tr key={name}>
            <th scope="row">{t(`detector.${name}` as MessageKey)}</th>
            <td>
              <CheckField path={['detectors', name, 'enabled']} label="" testId={`detector-${name}`} />
            </td>
            <td>
              <SelectInput path={['detectors', name, 'level']} options={levelOptions()} ariaLabel={`${name} level`} />
              <FieldErrors path={['detectors', name]} deep />
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('detector.marker')}</th>
          <td>
            <CheckField path={['detectors', 'marker', 'enabled']} label="" testId="detector-marker" />
          </td>
          <td>
            <label class="field field-inline">
              <span>{t('policy.field.controlledLevel')}</span>
              <SelectInput path={['detectors', 'marker', 'controlledLevel']} options={levelOptions()} />
            </label>
            <p class="hint">{t('policy.field.extraTerms', { count: Array.isArray(extra) ? extra.length : 0 })}</p>
            <FieldErrors path={['detectors', 'marker']} deep />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function PolicyForm() {
  return (
    <div class="policy-form">
      <section class="card">
        <h2>{t('policy.section.general')}</h2>
        <TextField path={['name']} label={t('policy.field.name')} wide testId="policy-name" />
      </section>
      <section class="card">
        <h2>{t('policy.section.origins')}</h2>
        <InternalOrigins />
      </section>
      <section class="card">
        <h2>{t('policy.section.detectors')}</h2>
        <Detectors />
        <FieldErrors path={['detectors']} />
      </section>
      <section class="card">
        <h2>{t('policy.section.rules')}</h2>
        <RulesTable />
      </section>
      <section class="card">
        <h2>{t('policy.section.limits')}</h2>
        <div class="grid-fields">
          <NumberField path={['bulk', 'threshold']} label={t('policy.field.bulkThreshold')} />
          <SelectField path={['bulk', 'level']} label={t('policy.field.bulkLevel')} options={levelOptions()} />
          <CheckField path={['watermark', 'enabled']} label={t('policy.field.watermarkEnabled')} />
          <TextField path={['watermark', 'text']} label={t('policy.field.watermarkText')} wide />
          <NumberField path={['watermark', 'periodDays']} label={t('policy.field.watermarkPeriod')} />
          <CheckField path={['overrides', 'allowed']} label={t('policy.field.overridesAllowed')} />
          <NumberField path={['overrides', 'maxDurationMinutes']} label={t('policy.field.overridesMax')} testId="overrides-max" />
          <NumberField path={['sync', 'intervalMinutes']} label={t('policy.field.syncInterval')} step={0.5} />
          <NumberField path={['sync', 'staleAfterHours']} label={t('policy.field.staleAfter')} />
        </div>
        {(['bulk', 'watermark', 'overrides', 'sync'] as const).map((key) => (
          <FieldErrors key={key} path={[key]} />
        ))}
      </section>
    </div>
  );
}
