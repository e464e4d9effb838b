/**
 * The text of each page of a PDF (pdf.js, the reader Firefox uses), to check what a printed
 * page really carries: Chromium's PDFs hold glyph ids, so the text needs the fonts' maps.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** Renders the first page to a PNG (pdf.js on @napi-rs/canvas, its optional Node canvas), to look at. */
export async function pdfFirstPagePng(bytes: Uint8Array, path: string): Promise<void> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const { writeFile } = await import('node:fs/promises');
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  try {
    const page = await document.getPage(1);
    const viewport = page.getViewport({ scale: 1.5 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
      canvas: canvas as unknown as HTMLCanvasElement,
    }).promise;
    await writeFile(path, canvas.toBuffer('image/png'));
  } finally {
    await document.destroy();
  }
}
