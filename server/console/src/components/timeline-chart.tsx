/**
 * Events over time as an inline SVG stacked bar chart (no chart library): one bar per
 * bucket, stacked by level, unclassified at the bottom.
 */
import type { TimelineBucket } from '../api';
import { LEVELS } from '../../../../utils/detect/types';
import { label, t } from '../i18n/messages';
import { formatTime } from '../lib/format';
import { companyDate, fillBuckets } from '../lib/timeline';

const WIDTH = 900;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 36, left: 44 };
const LEVEL_CLASS: Record<string, string> = { 秘密: 'lv1', 机密: 'lv2', 绝密: 'lv3' };

const TICKS = 4;

/** An integer step (1, 2, 5 × 10ⁿ) so that TICKS steps cover n. */
function niceStep(n: number): number {
  const raw = Math.max(1, Math.ceil(n / TICKS));
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= raw) return step * magnitude;
  return 10 * magnitude;
}

interface TimelineChartProps {
  buckets: TimelineBucket[];
  bucket: 'day' | 'hour';
  from?: string;
  to?: string;
  /** The company clock the server cut days on (BAOMI_REPORT_UTC_OFFSET). */
  utcOffsetMinutes?: number;
}

export function TimelineChart({ buckets: sparse, bucket, from, to, utcOffsetMinutes = 0 }: TimelineChartProps) {
  const total = sparse.reduce((sum, b) => sum + (b.count || 0), 0);
  if (sparse.length === 0 || total === 0) return <p class="muted chart-empty">{t('events.chart.empty')}</p>;
  const buckets = fillBuckets(sparse, bucket, from, to, utcOffsetMinutes);
  const tick = niceStep(Math.max(...buckets.map((b) => b.count || 0)));
  const max = tick * TICKS;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const barW = Math.max(1, slot * 0.75);
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const labelEvery = Math.ceil(buckets.length / 12);
  // Day buckets are the company's days: label them with the company date, whatever the
  // browser's own time zone (an auditor abroad reads the same chart).
  const bucketName = (iso: string) => (bucket === 'hour' ? formatTime(iso) : companyDate(iso, utcOffsetMinutes));
  const tickLabel = (iso: string) => bucketName(iso).slice(5);

  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('events.chart', { bucket: t(`events.bucket.${bucket}`) })}
        data-testid="timeline-chart"
      >
        {Array.from({ length: TICKS + 1 }, (_, i) => i * tick).map((value) => (
          <g key={value}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} />
            <text class="axis" x={PAD.left - 6} y={y(value) + 4} text-anchor="end">
              {value}
            </text>
          </g>
        ))}
        {buckets.map((b, index) => {
          const x = PAD.left + index * slot + (slot - barW) / 2;
          const byLevel = b.byLevel ?? {};
          const classified = LEVELS.reduce((sum, level) => sum + (byLevel[level] ?? 0), 0);
          const parts: [string, number][] = [
            ['none', Math.max(0, (b.count || 0) - classified)],
            ...LEVELS.map((level) => [level, byLevel[level] ?? 0] as [string, number]),
          ];
          let acc = 0;
          return (
            <g key={b.start}>
              <title>
                {`${bucketName(b.start)}: ${b.count}` +
                  LEVELS.filter((level) => byLevel[level])
                    .map((level) => ` · ${level} ${byLevel[level]}`)
                    .join('')}
              </title>
              {parts.map(([level, value]) => {
                if (!value) return null;
                const top = y(acc + value);
                const height = y(acc) - top;
                acc += value;
                return <rect key={level} class={`bar ${LEVEL_CLASS[level] ?? 'lv0'}`} x={x} y={top} width={barW} height={height} />;
              })}
              {index % labelEvery === 0 && (
                <text class="axis" x={x + barW / 2} y={HEIGHT - PAD.bottom + 16} text-anchor="middle">
                  {tickLabel(b.start)}
                </text>
              )}
            </g>
          );
        })}
        <line class="axis-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
      </svg>
      <figcaption class="legend">
        {(['none', ...LEVELS] as const).map((level) => (
          <span key={level}>
            <i class={`swatch ${LEVEL_CLASS[level] ?? 'lv0'}`} /> {label('level', level)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
