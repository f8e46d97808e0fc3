import { useEffect, useState } from 'preact/hooks';
import { gql, type ApiError, type Credential } from '../api';
import { enumLabel, utcTime } from '../format';
import { NOTIFICATION_SETTINGS_QUERY, SET_PREFERENCE_MUTATION, type Delivery, type Preference } from '../work-queries';

interface Settings {
  preferences: Preference[];
  deliveries: Delivery[];
  total: number;
}

/**
 * The signed-in person's own notification settings: every notifiable event type with its
 * e-mail switches (on/off, daily digest), changed through setNotificationPreference, and the
 * latest notifications sent to them (status, attempts, last error).
 */
export function NotificationSettings({ credential, personId }: { credential: Credential; personId: string }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    gql<{ notificationPreferences: Preference[]; notifications: { totalCount: number; nodes: Delivery[] } }>(credential, NOTIFICATION_SETTINGS_QUERY, {
      personId,
    })
      .then((d) => !cancelled && setSettings({ preferences: d.notificationPreferences, deliveries: d.notifications.nodes, total: d.notifications.totalCount }))
      .catch((err: ApiError) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [credential, personId]);

  const put = (row: Preference) =>
    setSettings((s) => s && { ...s, preferences: s.preferences.map((p) => (p.eventType === row.eventType && p.channel === row.channel ? row : p)) });
  const change = async (pref: Preference, enabled: boolean, digest: boolean) => {
    setSaving(pref.eventType);
    setError(null);
    // The switch moves at once (the others wait); what the hub stored replaces it, a refusal puts it back.
    put({ ...pref, enabled, digest: enabled && digest });
    try {
      const d = await gql<{ setNotificationPreference: Preference }>(credential, SET_PREFERENCE_MUTATION, {
        input: { eventType: pref.eventType, enabled, digest: enabled && digest },
      });
      put(d.setNotificationPreference);
    } catch (err) {
      put(pref);
      setError((err as ApiError).message);
    } finally {
      setSaving(null);
    }
  };

  return (
    <section class="panel wide notification-settings" data-testid="notification-settings" aria-labelledby="notification-settings-title">
      <h2 id="notification-settings-title">My notifications</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {settings && (
        <>
          <table data-testid="notification-preferences">
            <thead>
              <tr>
                <th>Event</th>
                <th>E-mail</th>
                <th>Daily digest</th>
              </tr>
            </thead>
            <tbody>
              {settings.preferences.map((p) => (
                <tr data-event-type={p.eventType}>
                  <td>
                    <strong>{p.eventType}</strong>
                    <div class="note">
                      {p.description}
                      {p.isDefault && ' (default)'}
                    </div>
                  </td>
                  <td>
                    <label>
                      <input
                        type="checkbox"
                        name={`enabled-${p.eventType}`}
                        checked={p.enabled}
                        disabled={saving !== null}
                        onChange={(e) => void change(p, (e.target as HTMLInputElement).checked, p.digest)}
                      />{' '}
                      on
                    </label>
                  </td>
                  <td>
                    <label>
                      <input
                        type="checkbox"
                        name={`digest-${p.eventType}`}
                        checked={p.digest}
                        disabled={saving !== null || !p.enabled}
                        onChange={(e) => void change(p, p.enabled, (e.target as HTMLInputElement).checked)}
                      />{' '}
                      digest
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Recently sent to me</h3>
          {settings.deliveries.length === 0 ? (
            <p data-testid="deliveries-empty">Nothing has been sent to you yet.</p>
          ) : (
            <table data-testid="deliveries">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Event</th>
                  <th>Subject</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {settings.deliveries.map((n) => (
                  <tr data-notification-id={n.id}>
                    <td>{utcTime(n.sentAt ?? n.createdAt)}</td>
                    <td>{n.eventType}</td>
                    <td>{n.subject}</td>
                    <td>{enumLabel(n.status)}</td>
                    <td>{n.attempts}</td>
                    <td>{n.lastError ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {settings.total > settings.deliveries.length && (
            <p class="note">
              The latest {settings.deliveries.length} of {settings.total}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
