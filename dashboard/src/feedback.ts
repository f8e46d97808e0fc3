/** The customer's feedback page: reads the token from the link, posts one rating. */
export {};
const token = new URLSearchParams(location.search).get('token') ?? '';
const form = document.querySelector<HTMLFormElement>('#feedback')!;
const status = document.querySelector<HTMLParagraphElement>('#status')!;

const show = (message: string, done = false) => {
  status.textContent = message;
  if (done) form.hidden = true;
};

async function call(method: 'GET' | 'POST', body?: unknown) {
  const res = await fetch(`/feedback/api${method === 'GET' ? `?token=${encodeURIComponent(token)}` : ''}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
}

call('GET').then((r) => {
  if (r.status !== 200) show(r.body.error?.message ?? 'This link cannot be used.', true);
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const tags = data.getAll('tags').map(String);
  const r = await call('POST', { token, rating: Number(data.get('rating')), comment: String(data.get('comment') ?? '') || null, tags });
  show(
    r.status === 201 ? 'Thank you: your feedback was recorded.' : (r.body.error?.message ?? 'Something went wrong.'),
    r.status === 201 || r.status === 409 || r.status === 410,
  );
});
