import type { TabStatus } from '@/utils/storage';
import { t, formatTime } from '@/utils/i18n';
import { levelRank, type Level } from '@/utils/detect/types';

/** The current tab: level, what was found (by type), recent blocks. */
export function PageStatus({ tab }: { tab: TabStatus | null }) {
  const frames = Object.values(tab?.frames ?? {});
  let level: string | null = null;
  let namedLevel: string | null = null;
  const counts: Record<string, number> = {};
  for (const frame of frames) {
    if (levelRank(frame.level as Level) > levelRank(level as Level)) level = frame.level;
    if (levelRank(frame.namedLevel as Level) > levelRank(namedLevel as Level)) namedLevel = frame.namedLevel ?? null;
    for (const [type, count] of Object.entries(frame.countsByType)) counts[type] = (counts[type] ?? 0) + count;
  }
  const found = Object.entries(counts).filter(([, count]) => count > 0);
  return (
    <section data-testid="page-status">
      <h2>{t('popup_thisPage')}</h2>
      <p>
        {t('popup_level')}
        {t('popup_colon')}
        <strong class={level ? 'level level-on' : 'level'} data-testid="page-level">
          {level ?? t('popup_levelNone')}
        </strong>
      </p>
      {namedLevel && (
        // Why a page with no number can be 绝密: it names a register customer (the name stays unsaid).
        <p data-testid="page-named-customer">{t('popup_namedCustomer', namedLevel)}</p>
      )}
      {found.length === 0 ? (
        <p class="muted">{t('popup_foundNone')}</p>
      ) : (
        <ul class="counts" data-testid="page-counts">
          {found.map(([type, count]) => (
            <li key={type} data-type={type} data-count={count}>
              {t(`type_${type.replace(/-/g, '_')}`)}
              {t('popup_colon')}
              {count}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('popup_recentBlocks')}</h3>
      {(tab?.recentBlocks.length ?? 0) === 0 ? (
        <p class="muted">{t('popup_noBlocks')}</p>
      ) : (
        <ul class="blocks" data-testid="recent-blocks">
          {tab!.recentBlocks.map((block) => (
            <li key={block.time}>
              {formatTime(block.time)} · {t(`channel_${block.channel}`)} · {block.level ?? ''} {block.masked.join(' ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
