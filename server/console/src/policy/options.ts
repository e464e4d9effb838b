import { LEVELS } from '../../../../utils/detect/types';
import { ACTIONS, CHANNELS } from '../../../../utils/policy/schema';
import { label } from '../i18n/messages';
import type { Option } from './fields';

export const levelOptions = (): Option[] => LEVELS.map((level) => ({ value: level, label: label('level', level) }));
export const actionOptions = (): Option[] => ACTIONS.map((action) => ({ value: action, label: label('action', action) }));
export const channelOptions = (): Option[] => CHANNELS.map((channel) => ({ value: channel, label: label('channel', channel) }));
export const zoneOptions = (): Option[] =>
  (['any', 'internal', 'external'] as const).map((zone) => ({ value: zone, label: label('zone', zone) }));
