/** crx3 1.x (CommonJS, no bundled types): packs a directory into a signed CRX3. */
declare module 'crx3' {
  interface Crx3Options {
    /** PEM private key (RSA); crx3 makes a new one when the file is missing, which we never let it do. */
    keyPath: string;
    crxPath: string;
    zipPath?: string;
    xmlPath?: string;
  }
  interface Crx3Result {
    /** The extension id crx3 derived from the key. */
    appId: string;
  }
  /** `files`: paths; a single manifest.json stands for its whole directory. */
  export default function crx3(files: string[], options: Crx3Options): Promise<Crx3Result>;
}
