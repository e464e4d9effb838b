/** Pixel shares of a page's screenshot, counted in a page canvas (no image library needed). */
import type { Page } from 'puppeteer-core';

export type PixelKind = 'reddish' | 'marked';

/**
 * Share of pixels of `kind` in a screenshot of `page` (from `fromTop` of its height down):
 * 'reddish' — the print watermark's colour; 'marked' — anything not white (the screen watermark's grey).
 */
export async function pixelShare(page: Page, kind: PixelKind, fromTop = 0): Promise<number> {
  const png = await page.screenshot({ encoding: 'base64' });
  return page.evaluate(
    async (data, which, from) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const top = Math.floor(image.height * from);
      const pixels = context.getImageData(0, top, image.width, image.height - top).data;
      let counted = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
        if (which === 'reddish' ? r > g + 20 && r > b + 20 : r < 245 || g < 245 || b < 245) counted++;
      }
      return counted / (pixels.length / 4);
    },
    png,
    kind,
    fromTop,
  );
}
