import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n/messages';
import { CheckField, FieldErrors, NumberField, SelectField, SelectInput, TextField, useDraft } from './fields';
import { DownloadSettings } from './download-settings';
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
              <button
                type="button"
                class="btn btn-small btn-danger no-print"
                onClick={() =>
                  set(
                    ['internalOrigins'],
                    origins.filter((_, i) => i !== index),
                  )
                }
              >
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

function ExtraTerms() {
  const { get, set, readOnly } = useDraft();
  const [term, setTerm] = useState('');
  const raw = get(['detectors', 'marker', 'extraTerms']);
  const terms = Array.isArray(raw) ? raw : [];
  const path = ['detectors', 'marker', 'extraTerms'] as const;
  return (
    <div class="extra-terms">
      <p class="hint">{t('policy.field.extraTerms', { count: terms.length })}</p>
      {terms.map((_, index) => {
        const value = get([...path, index, 'term']);
        return (
          <div key={index} class="extra-term">
            <input
              aria-label={`extraTerms.${index}.term`}
              value={typeof value === 'string' ? value : ''}
              disabled={readOnly}
              onInput={(e) => set([...path, index, 'term'], e.currentTarget.value)}
            />
            <SelectInput path={[...path, index, 'level']} options={levelOptions()} />
            {!readOnly && (
              <button
                type="button"
                class="btn btn-small btn-danger no-print"
                onClick={() =>
                  set(
                    path,
                    terms.filter((__, i) => i !== index),
                  )
                }
              >
                {t('common.remove')}
              </button>
            )}
            <FieldErrors path={[...path, index]} deep />
          </div>
        );
      })}
      {!readOnly && (
        <form
          class="inline-form no-print"
          onSubmit={(e) => {
            e.preventDefault();
            if (!term.trim()) return;
            set(path, [...terms, { term: term.trim(), level: '机密' }]);
            setTerm('');
          }}
        >
          <input
            placeholder="CONFIDENTIAL"
            aria-label={t('policy.field.extraTermNew')}
            value={term}
            onInput={(e) => setTerm(e.currentTarget.value)}
          />
          <button type="submit" class="btn btn-small">
            {t('common.add')}
          </button>
        </form>
      )}
    </div>
  );
}

function Detectors() {
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
            <ExtraTerms />
            <FieldErrors path={['detectors', 'marker', 'enabled']} />
            <FieldErrors path={['detectors', 'marker', 'controlledLevel']} />
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
        <h2>{t('policy.section.downloads')}</h2>
        <DownloadSettings />
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
