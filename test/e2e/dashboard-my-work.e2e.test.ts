import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../../subgraphs/accounts/src/seed';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const INTERNAL = DEMO_PARTNERS.find((p) => p.apiKey === 'hub_demo_internal_revops')!;

interface TaskRow {
  id: string;
  handoffId: string;
  state: string;
}

/** A GraphQL call from the page with its own session (the cookie, and the CSRF token it may read). */
async function asSession<T>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await page.evaluate(
    async ({ query, variables }) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)hub_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-csrf': csrf },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: unknown; errors?: unknown[] };
    },
    { query, variables },
  );
  if (body.errors?.length || !body.data) throw new Error(`the API refused: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/**
 * A demo person signs in through the local OpenID provider and sees their own work: the
 * tasks `myTasks` gives them, their partner's inbox by priority, a handoff opened from a
 * notification's link (and not another partner's), and their notification switches.
 */
describe('dashboard: my work, notification links and notification settings in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  let base: string;
  // Chosen from what the API says, not from the seed's constants.
  let partner: (typeof DEMO_PARTNERS)[number];
  let person: (typeof DEMO_PEOPLE)[number];
  let tasks: TaskRow[];
  let foreignHandoff: { id: string; customerName: string };

  const api = async <T>(query: string, variables: Record<string, unknown>, apiKey: string): Promise<T> => {
    const res = await gql<T>(hub.gatewayUrl, query, variables, apiKey);
    if (res.errors?.length || !res.data) throw new Error(`the API refused: ${JSON.stringify(res.errors)}`);
    return res.data;
  };

  beforeAll(async () => {
    hub = await startTestHub({
      services: ['accounts', 'handoffs', 'slas', 'scorecards', 'gateway'],
      env: { HUB_OIDC_DEV_PROVIDER: 'true', HUB_OIDC_DEV_PORT: '0' },
    });
    base = new URL(hub.gatewayUrl).origin;
    browser = await launchChromium();

    // A partner with tasks still to do (an accepted demo handoff gave them).
    const candidates = DEMO_PARTNERS.filter((p) => !p.apiKey.startsWith('hub_demo_internal'));
    for (const p of candidates) {
      const d = await api<{ tasks: { nodes: TaskRow[] } }>(`{ tasks(first: 50) { nodes { id handoffId state } } }`, {}, p.apiKey);
      const open = d.tasks.nodes.filter((t) => t.state !== 'DONE');
      if (open.length) {
        partner = p;
        tasks = open;
        break;
      }
    }
    expect(partner).toBeDefined();
    person = DEMO_PEOPLE.find((p) => p.partnerId === partner.id)!;
    // Give every open task to the person; handoffs learns of the people from accounts' events in its own time.
    const deadline = Date.now() + 20_000;
    for (const t of tasks) {
      for (;;) {
        const res = await gql<{ assignTask: { id: string } }>(
          hub.gatewayUrl,
          `mutation($t: ID!, $p: ID!) { assignTask(taskId: $t, personId: $p) { id } }`,
          { t: t.id, p: person.id },
          partner.apiKey,
        );
        if (res.data?.assignTask) break;
        if (Date.now() > deadline) throw new Error(`assignTask refused: ${JSON.stringify(res.errors)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    // A handoff between two other partners: the person may not see it.
    const all = await api<{ handoffs: { nodes: { id: string; customerName: string; fromPartnerId: string | null; toPartnerId: string }[] } }>(
      `{ handoffs(first: 100) { nodes { id customerName fromPartnerId toPartnerId } } }`,
      {},
      INTERNAL.apiKey,
    );
    foreignHandoff = all.handoffs.nodes.find((h) => h.fromPartnerId !== partner.id && h.toPartnerId !== partner.id)!;
    expect(foreignHandoff).toBeDefined();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  const signIn = async (page: Page, path: string) => {
    await page.goto(`${base}${path}`);
    await page.click('[data-testid=sign-in]');
    await page.waitForSelector('text=Development sign-in');
    await page.click(`button[value="${person.email}"]`);
    await page.waitForURL(`${base}${path}`);
  };

  it('lists the tasks myTasks gives the person and their partner’s inbox in PRIORITY order', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, '/dashboard/');
    await page.waitForSelector('[data-testid=my-tasks]');
    expect(await page.textContent('[data-testid=viewer]')).toContain(person.name);

    // The default view is everything still to do: the API's overdue tasks, then its open ones.
    const mine = await asSession<{
      overdue: { nodes: { id: string; title: string; overdue: boolean }[] };
      open: { nodes: { id: string; title: string; overdue: boolean }[] };
    }>(
      page,
      `{ overdue: myTasks(first: 20, filter: { state: OVERDUE }) { nodes { id title overdue } } open: myTasks(first: 20, filter: { state: OPEN }) { nodes { id title overdue } } }`,
    );
    const expected = [...mine.overdue.nodes, ...mine.open.nodes];
    expect(expected.map((t) => t.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    const rows = page.locator('[data-testid=my-tasks] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-task-id')))).toEqual(expected.map((t) => t.id));
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td a')?.textContent))).toEqual(expected.map((t) => t.title));
    expect(await page.locator('[data-testid=my-tasks] [data-testid=overdue-badge]').count()).toBe(expected.filter((t) => t.overdue).length);

    // The Done view asks the API for DONE tasks: none yet.
    await page.selectOption('[data-testid=task-view]', 'DONE');
    await page.waitForSelector('[data-testid=my-tasks-empty]');
    const done = await asSession<{ myTasks: { totalCount: number } }>(page, `{ myTasks(filter: { state: DONE }) { totalCount } }`);
    expect(done.myTasks.totalCount).toBe(0);

    const inbox = await asSession<{ me: { partner: { inbox: { nodes: { id: string; priority: { score: number } }[] } } } }>(
      page,
      `{ me { partner { inbox(orderBy: PRIORITY, first: 10) { nodes { id priority { score } } } } } }`,
    );
    const shown = await page
      .locator('[data-testid=inbox] > li, [data-testid=inbox-empty]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-handoff-id')));
    expect(shown).toEqual(inbox.me.partner.inbox.nodes.length ? inbox.me.partner.inbox.nodes.map((h) => h.id) : [null]);
    await page.screenshot({ path: join(artifacts, 'dashboard-my-work.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('opens a notification’s link to one of its partner’s handoffs after signing in, with the task highlighted', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const task = tasks[0]!;
    await signIn(page, `/dashboard/?handoff=${task.handoffId}&task=${task.id}`);
    await page.waitForSelector('[data-testid=handoff-detail]');
    const h = await asSession<{ handoff: { id: string; state: string; to: { name: string }; priority: { score: number } } }>(
      page,
      `query($id: ID!) { handoff(id: $id) { id state to { name } priority { score } } }`,
      { id: task.handoffId },
    );
    expect(await page.getAttribute('[data-testid=handoff-detail]', 'data-handoff-id')).toBe(h.handoff.id);
    expect(await page.textContent('[data-testid=handoff-to]')).toBe(h.handoff.to.name);
    expect(await page.textContent('[data-testid=handoff-state]')).toContain(h.handoff.state.toLowerCase());
    expect(await page.getAttribute('li.highlight', 'data-task-id')).toBe(task.id);
    expect(await page.locator('li.highlight').count()).toBe(1);
    // A record's page does not fetch the scorecards.
    expect(await page.locator('[data-testid=maturity-matrix]').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-handoff-link.png'), fullPage: true });
    await page.close();
  });

  it('shows another partner’s handoff as not found, with none of its data, and a garbled link as invalid', async () => {
    const page = await browser.newPage();
    await signIn(page, '/dashboard/');
    const answer = await page.evaluate(async (id) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)hub_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-csrf': csrf },
        body: JSON.stringify({ query: 'query($id: ID!) { handoff(id: $id) { id } }', variables: { id } }),
      });
      return (await res.json()) as { data: { handoff: null }; errors: { extensions: { code: string } }[] };
    }, foreignHandoff.id);
    expect([answer.data.handoff, answer.errors[0]?.extensions.code]).toEqual([null, 'NOT_FOUND']);

    await page.goto(`${base}/dashboard/?handoff=${foreignHandoff.id}`);
    await page.waitForSelector('[data-testid=not-found]');
    expect(await page.locator('[data-testid=handoff-detail]').count()).toBe(0);
    expect(await page.textContent('body')).not.toContain(foreignHandoff.customerName);

    await page.goto(`${base}/dashboard/?handoff=not-a-handoff`);
    expect(await (await page.waitForSelector('[data-testid=invalid-link]')).textContent()).toContain('not a valid id');
    await page.goto(`${base}/dashboard/?customer=00000000-0000-4000-0000-00000000dead`);
    expect(await (await page.waitForSelector('[data-testid=not-found]')).textContent()).toContain('Customer not found');
    await page.close();
  });

  it('switches a notification off, and the API reads it back off', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    await signIn(page, '/dashboard/');
    await page.waitForSelector('[data-testid=notification-preferences]');
    const before = await asSession<{ notificationPreferences: { eventType: string; enabled: boolean }[] }>(
      page,
      `{ notificationPreferences { eventType enabled } }`,
    );
    expect(await page.locator('[data-testid=notification-preferences] tbody tr').count()).toBe(before.notificationPreferences.length);
    const on = before.notificationPreferences.find((p) => p.enabled)!;
    expect(on).toBeDefined();
    const box = page.locator(`input[name="enabled-${on.eventType}"]`);
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    // The switch shows what the hub stored once it answered (the switches are enabled again).
    await page.waitForSelector(`input[name="enabled-${on.eventType}"]:not(:checked):not([disabled])`);
    const after = await asSession<{ notificationPreferences: { eventType: string; enabled: boolean; isDefault: boolean }[] }>(
      page,
      `{ notificationPreferences { eventType enabled isDefault } }`,
    );
    expect(after.notificationPreferences.find((p) => p.eventType === on.eventType)).toEqual({ eventType: on.eventType, enabled: false, isDefault: false });
    // The others did not move.
    expect(after.notificationPreferences.filter((p) => p.eventType !== on.eventType).map((p) => [p.eventType, p.enabled])).toEqual(
      before.notificationPreferences.filter((p) => p.eventType !== on.eventType).map((p) => [p.eventType, p.enabled]),
    );
    await page.reload();
    await page.waitForSelector('[data-testid=notification-preferences]');
    expect(await page.locator(`input[name="enabled-${on.eventType}"]`).isChecked()).toBe(false);
    // The deliveries shown are the API's notifications for this person.
    const log = await asSession<{ notifications: { nodes: { id: string }[] } }>(
      page,
      `query($p: ID!) { notifications(first: 10, filter: { personId: $p }) { nodes { id } } }`,
      {
        p: person.id,
      },
    );
    const shownLog = await page.locator('[data-testid=deliveries] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-notification-id')));
    expect(shownLog).toEqual(log.notifications.nodes.map((n) => n.id));
    await page.close();
  });
});
