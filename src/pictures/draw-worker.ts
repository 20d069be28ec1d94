/** A picture worker: draws one SVG as PNG, with the render options (and font list) made once per worker. */
import { Resvg } from "@resvg/resvg-js";
import { renderOptions } from "./render-options.js";

const options = renderOptions();

export default function draw(svg: string): Uint8Array {
  return new Resvg(svg, options).render().asPng();
}
