import { NotificationChannelKind } from './notification.enums';
import type { NotificationKind } from './notification-catalog';

/** A stored preference: what a person or channel chose for one event type. */
export interface PreferenceOverride {
  enabled: boolean;
  digest: boolean;
}

/** What applies: the stored choice, else the catalog's default for the channel (immediate, no digest). */
export function effectivePreference(
  kind: NotificationKind,
  channel: NotificationChannelKind,
  override: PreferenceOverride | undefined,
): PreferenceOverride & { isDefault: boolean } {
  if (override) return { ...override, isDefault: false };
  return { enabled: channel === NotificationChannelKind.EMAIL ? kind.emailByDefault : kind.chatByDefault, digest: false, isDefault: true };
}

export const personKey = (id: string) => `person:${id}`;
export const channelKey = (id: string) => `channel:${id}`;
