/** A page that only says something: a refusal, an expired link, a signed-out browser. */
export function NoticePage({ heading, text, hint }: { heading: string; text: string; hint?: string }) {
  return (
    <section class="card">
      <h1>{heading}</h1>
      <p>{text}</p>
      {hint && <p class="muted">{hint}</p>}
    </section>
  );
}
