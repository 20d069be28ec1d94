import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Layout, type LayoutProps } from "./layout.js";
import { NoticePage } from "./pages/notice.js";

/** A whole page: doctype, the layout and the page's own content. */
export async function page(
  c: Context,
  props: Omit<LayoutProps, "children">,
  body: Child,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = await (<Layout {...props}>{body}</Layout>).toString();
  return c.html(`<!doctype html>${html}`, status);
}

/** A page that refuses or explains, with the status that says the same to a machine. */
export function notice(
  c: Context,
  status: ContentfulStatusCode,
  words: { heading: string; text: string; hint?: string },
  props: Omit<LayoutProps, "children" | "title"> = {},
): Promise<Response> {
  return page(c, { ...props, title: words.heading }, <NoticePage {...words} />, status);
}

/** Chat's small Markdown subset read as plain words: a page shows the text, not the asterisks. */
export function plainText(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/`([^`]+)`/g, "$1");
}
