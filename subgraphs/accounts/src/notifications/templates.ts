import Handlebars from 'handlebars';
import type { Rendered } from './notification-catalog';

/** A notification as it is stored and sent: the same parts for every channel. */
export interface NotificationContent {
  subject: string;
  headline: string;
  facts: { label: string; value: string }[];
  /** Absolute URL of the dashboard item. */
  link: { label: string; url: string };
  /** A digest's items, each its own subject and link. */
  items?: { subject: string; url: string }[];
}

// Two parts per e-mail: plain text for every client, HTML for the rest. Handlebars escapes
// every value in the HTML template, so nothing from an event can inject markup.
const text = Handlebars.compile(
  `{{headline}}

{{#each facts}}{{label}}: {{value}}
{{/each}}{{#each items}}- {{subject}}
  {{url}}
{{/each}}
{{link.label}}: {{link.url}}

You receive this because of your notification preferences in the Partner Handoff Hub.
`,
  { noEscape: true },
);
const html = Handlebars.compile(`<!doctype html>
<html><body style="font-family: sans-serif; color: #111">
<h2>{{headline}}</h2>
{{#if facts.length}}<table>{{#each facts}}<tr><th align="left">{{label}}</th><td>{{value}}</td></tr>{{/each}}</table>{{/if}}
{{#if items.length}}<ul>{{#each items}}<li><a href="{{url}}">{{subject}}</a></li>{{/each}}</ul>{{/if}}
<p><a href="{{link.url}}">{{link.label}}</a></p>
<p style="color: #666; font-size: 12px">You receive this because of your notification preferences in the Partner Handoff Hub.</p>
</body></html>`);

export const absolute = (publicUrl: string, r: Rendered): NotificationContent => ({
  subject: r.subject,
  headline: r.headline,
  facts: r.facts,
  link: { label: r.link.label, url: `${publicUrl}${r.link.path}` },
});

export function renderEmail(c: NotificationContent): { subject: string; text: string; html: string } {
  return { subject: c.subject, text: text(c), html: html(c) };
}

const factLines = (c: NotificationContent) => [
  ...c.facts.map((f) => `*${f.label}:* ${f.value}`),
  ...(c.items ?? []).map((i) => `• <${i.url}|${i.subject.replace(/[<>|]/g, '')}>`),
];

/** A Slack incoming-webhook message: text for notifications, blocks for the channel. */
export function renderSlack(c: NotificationContent): Record<string, unknown> {
  return {
    text: `${c.subject} — ${c.link.url}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: c.headline.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: factLines(c).join('\n') || c.subject } },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: c.link.label.slice(0, 75) }, url: c.link.url }] },
    ],
  };
}

/** A Microsoft Teams incoming-webhook message card. */
export function renderTeams(c: NotificationContent): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: c.subject,
    title: c.headline,
    sections: [{ facts: c.facts.map((f) => ({ name: f.label, value: f.value })), text: (c.items ?? []).map((i) => `[${i.subject}](${i.url})`).join('  \n') }],
    potentialAction: [{ '@type': 'OpenUri', name: c.link.label, targets: [{ os: 'default', uri: c.link.url }] }],
  };
}
