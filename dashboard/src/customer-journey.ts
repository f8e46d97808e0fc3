/**
 * The customer's journey page: reads the token from its address, shows what the hub's
 * /journey/api returns for it, and, once the handoff is complete, the feedback form, which
 * posts the same token to the customer feedback route (/feedback/api). Everything is written
 * with textContent: nothing the partners typed becomes markup, and the page makes no link.
 */
export {};

interface JourneyValue {
  label: string;
  value: string | string[];
}

interface Journey {
  title: string;
  customerName: string;
  stage: 'PROPOSED' | 'ACCEPTED' | 'COMPLETED';
  message: string;
  newOwner: { name: string; responsibleRole: string | null };
  contact: { name: string; email: string | null } | null;
  actions: { action: string; status: 'OPEN' | 'DONE'; doneAt: string | null }[];
  known: { summary: string | null; goals: string[]; customerSaid: string[] };
  details: JourneyValue[];
  deliverables: JourneyValue[];
  feedback: boolean;
  linkExpiresAt: string;
}

interface ApiError {
  error?: { message?: string };
}

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const el = (tag: string, text?: string, className?: string) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function fail(message: string) {
  $('loading').hidden = true;
  $('journey').hidden = true;
  $('error-message').textContent = message;
  $('error').hidden = false;
}

function list(items: string[]) {
  const ul = el('ul');
  for (const item of items) ul.append(el('li', item));
  return ul;
}

function render(j: Journey) {
  document.title = j.title;
  $('title').textContent = j.title;
  $('customer').textContent = `For ${j.customerName}`;
  $('message').textContent = j.message;
  const owner = j.stage === 'PROPOSED' ? `${j.newOwner.name} is getting ready to take over` : `${j.newOwner.name} now looks after you`;
  $('owner').textContent = j.newOwner.responsibleRole ? `${owner} (${j.newOwner.responsibleRole}).` : `${owner}.`;
  $('contact').textContent = j.contact
    ? `Your contact: ${j.contact.name}${j.contact.email ? `, ${j.contact.email}` : ''}`
    : 'Your contact person will introduce themselves shortly.';

  const actions = $('actions');
  for (const a of j.actions) {
    const li = el('li', a.action, a.status === 'DONE' ? 'done' : undefined);
    li.dataset.status = a.status;
    if (a.doneAt) li.title = `Done on ${day(a.doneAt)}`;
    actions.append(li);
  }
  $('actions-section').hidden = j.actions.length === 0;

  const known = $('known');
  if (j.known.summary) known.append(el('p', j.known.summary));
  if (j.known.goals.length) known.append(el('h3', 'Your goals'), list(j.known.goals));
  if (j.known.customerSaid.length) known.append(el('h3', 'What you told us'), list(j.known.customerSaid));
  $('known-section').hidden = !known.hasChildNodes();

  const details = $('details');
  for (const d of [...j.details, ...j.deliverables]) {
    const dd = el('dd');
    if (Array.isArray(d.value)) dd.append(list(d.value));
    else dd.textContent = d.value;
    details.append(el('dt', d.label), dd);
  }
  $('details-section').hidden = !details.hasChildNodes();
  $('expiry').textContent = `This page works until ${day(j.linkExpiresAt)}.`;

  $('loading').hidden = true;
  $('journey').hidden = false;
  if (j.feedback) void offerFeedback();
}

async function feedbackCall(method: 'GET' | 'POST', body?: unknown) {
  const res = await fetch(`/feedback/api${method === 'GET' ? `?token=${encodeURIComponent(token)}` : ''}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as ApiError };
}

/** The form shows while the link can still give feedback; once given, a thank-you instead. */
async function offerFeedback() {
  const section = $('feedback-section');
  const form = $<HTMLFormElement>('feedback');
  const status = $('feedback-status');
  const check = await feedbackCall('GET');
  section.hidden = false;
  if (check.status === 409) {
    form.hidden = true;
    status.textContent = 'Thank you: your feedback was recorded.';
    return;
  }
  if (check.status !== 200) {
    form.hidden = true;
    status.textContent = check.body.error?.message ?? 'Feedback cannot be given with this link.';
    return;
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const r = await feedbackCall('POST', {
      token,
      rating: Number(data.get('rating')),
      comment: String(data.get('comment') ?? '') || null,
      tags: data.getAll('tags').map(String),
    });
    const finished = r.status === 201 || r.status === 409 || r.status === 410;
    status.textContent = r.status === 201 ? 'Thank you: your feedback was recorded.' : (r.body.error?.message ?? 'Something went wrong; please try again.');
    if (finished) form.hidden = true;
  });
}

async function load() {
  if (!token) return fail('This link is not valid. Please use the link you were sent, or ask your contact for a new one.');
  try {
    const res = await fetch(`/journey/api?token=${encodeURIComponent(token)}`);
    const body = (await res.json()) as { journey?: Journey } & ApiError;
    if (res.status !== 200 || !body.journey) return fail(body.error?.message ?? 'This page cannot be shown right now.');
    render(body.journey);
  } catch {
    fail('This page cannot be shown right now; please try again shortly.');
  }
}

void load();
