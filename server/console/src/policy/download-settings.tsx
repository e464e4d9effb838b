/**
 * The policy's download settings (channel `download`): how much of a file the guard
 * reads, how far a zipped file may expand, and which file types an internal system's
 * downloads are held for when their content cannot be read. Sizes are edited in MB.
 */
import { DEFAULT_DOWNLOAD_SETTINGS } from '../../../../utils/policy/vocabulary';
import { t } from '../i18n/messages';
import { FieldErrors, useDraft } from './fields';

const MB = 1024 * 1024;
type Settings = typeof DEFAULT_DOWNLOAD_SETTINGS;

export function DownloadSettings() {
  const { get, set, readOnly } = useDraft();
  const current = (get(['downloads']) as Settings | undefined) ?? DEFAULT_DOWNLOAD_SETTINGS;
  const update = (patch: Partial<Settings>) => set(['downloads'], { ...current, ...patch });
  const megabytes = (key: 'maxScanBytes' | 'maxExpandedBytes', label: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        type="number"
        min={1}
        step={1}
        value={Math.round(current[key] / MB)}
        disabled={readOnly}
        onInput={(e) => update({ [key]: Math.round(Number(e.currentTarget.value) * MB) })}
      />
      <FieldErrors path={['downloads', key]} />
    </label>
  );
  return (
    <div class="grid-fields">
      {megabytes('maxScanBytes', t('policy.field.downloadScanMb'))}
      {megabytes('maxExpandedBytes', t('policy.field.downloadExpandMb'))}
      <label class="field">
        <span>{t('policy.field.downloadHeldTypes')}</span>
        <input
          class="wide"
          value={current.heldTypes.join(', ')}
          disabled={readOnly}
          onInput={(e) =>
            update({
              heldTypes: e.currentTarget.value
                .split(/[,，\s]+/)
                .map((type) => type.trim().replace(/^\./, '').toLowerCase())
                .filter(Boolean),
            })
          }
        />
        <FieldErrors path={['downloads', 'heldTypes']} deep />
      </label>
    </div>
  );
}
