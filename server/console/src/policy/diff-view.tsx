import { useMemo } from 'preact/hooks';
import { t } from '../i18n/messages';
import { diffHunks, diffLines, diffStats } from '../lib/line-diff';

/** Unified line diff of two texts (pretty-printed canonical JSON of two policies). */
export function DiffView({
  oldText,
  newText,
  oldLabel,
  newLabel,
}: {
  oldText: string;
  newText: string;
  oldLabel: string;
  newLabel: string;
}) {
  const lines = useMemo(() => diffLines(oldText, newText), [oldText, newText]);
  const hunks = useMemo(() => diffHunks(lines, 3), [lines]);
  const stats = diffStats(lines);
  if (hunks.length === 0)
    return (
      <p class="muted" data-testid="diff-none">
        {t('policy.diff.none')}
      </p>
    );
  return (
    <div class="diff" data-testid="policy-diff">
      <p class="diff-head">
        <span class="diff-del-text">--- {oldLabel}</span> <span class="diff-add-text">+++ {newLabel}</span>{' '}
        <span class="muted">{t('policy.diff.summary', stats)}</span>
      </p>
      <table class="diff-table">
        <tbody>
          {hunks.map((hunk, h) => [
            hunk.skippedBefore > 0 || h > 0 ? (
              <tr key={`s${h}`} class="diff-skip">
                <td colSpan={4}>⋯ {hunk.skippedBefore > 0 ? `${hunk.skippedBefore}` : ''}</td>
              </tr>
            ) : null,
            ...hunk.lines.map((line, i) => (
              <tr key={`${h}-${i}`} class={`diff-${line.op}`}>
                <td class="ln">{line.oldLine ?? ''}</td>
                <td class="ln">{line.newLine ?? ''}</td>
                <td class="sign">{line.op === 'add' ? '+' : line.op === 'del' ? '−' : ' '}</td>
                <td class="code">{line.text}</td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </div>
  );
}
