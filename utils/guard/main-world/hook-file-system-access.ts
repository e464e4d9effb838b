import type { MainBridge } from '../bridge/bridge-main';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

type Win = Window & typeof globalThis;

/**
 * File System Access API: a writable stream writes to a swap file that replaces the real
 * file only at close(). What was written is kept (as Blob parts) and decided at close();
 * blocked: the stream is aborted. Every handle is guarded except those known to be in the
 * origin-private file system (navigator.storage.getDirectory() and what is opened
 * under it), which never leaves the browser: a handle from the save picker, a dropped
 * file, or one an app restored from IndexedDB is a file on the user's disk.
 */
export function hookFileSystemAccess(win: Win, bridge: MainBridge, intr: Intrinsics): void {
  const c = {
    WeakSet: win.WeakSet,
    WeakMap: win.WeakMap,
    weakHas: win.WeakSet.prototype.has,
    weakAdd: win.WeakSet.prototype.add,
    weakMapGet: win.WeakMap.prototype.get,
    weakMapSet: win.WeakMap.prototype.set,
    weakMapDelete: win.WeakMap.prototype.delete,
  };
  const w = win as Win & {
    StorageManager?: { prototype: { getDirectory(): Promise<FileSystemDirectoryHandle> } };
    FileSystemFileHandle?: { prototype: FileSystemFileHandle & { createWritable(...a: unknown[]): Promise<unknown> } };
    FileSystemDirectoryHandle?: { prototype: FileSystemDirectoryHandle };
    FileSystemWritableFileStream?: { prototype: { write(data: unknown): Promise<void> } };
  };
  const streamProto = w.FileSystemWritableFileStream?.prototype;
  if (!w.FileSystemFileHandle || !streamProto) return;
  const { apply } = intr;
  const originPrivate = new c.WeakSet<object>();
  type Written = { handle: FileSystemFileHandle; parts: BlobPart[] };
  const parts = new c.WeakMap<object, Written>();
  const abort = win.WritableStream.prototype.abort;

  const markPrivate = <T extends object>(promise: Promise<T>): Promise<T> =>
    (async () => {
      const handle = await promise;
      apply(c.weakAdd, originPrivate, [handle]);
      return handle;
    })();

  if (w.StorageManager) {
    replaceMethod<() => Promise<object>>(
      w.StorageManager.prototype,
      'getDirectory',
      (original) =>
        ({
          getDirectory(this: unknown) {
            return markPrivate(apply(original, this, arguments) as Promise<object>);
          },
        }).getDirectory,
      intr,
    );
  }
  // What is opened under an origin-private directory is origin-private too.
  if (w.FileSystemDirectoryHandle) {
    for (const key of ['getFileHandle', 'getDirectoryHandle'] as const) {
      replaceMethod<(...args: unknown[]) => Promise<object>>(
        w.FileSystemDirectoryHandle.prototype,
        key,
        (original) =>
          ({
            [key](this: object) {
              const result = apply(original, this, arguments) as Promise<object>;
              return apply(c.weakHas, originPrivate, [this]) ? markPrivate(result) : result;
            },
          })[key]!,
        intr,
      );
    }
  }
  replaceMethod<(...args: unknown[]) => Promise<object>>(
    w.FileSystemFileHandle.prototype,
    'createWritable',
    (original) =>
      ({
        createWritable(this: FileSystemFileHandle) {
          const result = apply(original, this, arguments) as Promise<object>;
          if (apply(c.weakHas, originPrivate, [this])) return result;
          const handle = this;
          return (async () => {
            const stream = await result;
            apply(c.weakMapSet, parts, [stream, { handle, parts: [] }]);
            return stream;
          })();
        },
      }).createWritable,
    intr,
  );
  replaceMethod<(data: unknown) => Promise<void>>(
    streamProto,
    'write',
    (original) =>
      ({
        write(this: object, data: unknown) {
          const record = apply(c.weakMapGet, parts, [this]) as Written | undefined;
          if (record) {
            // write(data) or write({type: 'write', data}); seek/truncate are kept as they are.
            const payload =
              data !== null && typeof data === 'object' && 'type' in (data as object) ? (data as { data?: unknown }).data : data;
            if (payload !== undefined && payload !== null) record.parts.push(payload as BlobPart);
          }
          return apply(original, this, arguments) as Promise<void>;
        },
      }).write,
    intr,
  );
  /**
   * Decides what a tracked stream received. Blocked: `stop` aborts the stream, which drops
   * its swap file; the file itself is left as it was before (empty when the picker just
   * made it). It is not removed: a user who saved over an existing file would lose it.
   */
  const decideAtClose = async (record: Written, finish: () => Promise<void>, stop: () => Promise<void>): Promise<void> => {
    let blob: Blob;
    try {
      blob = new intr.Blob(record.parts as BlobPart[]);
    } catch {
      blob = new intr.Blob([]);
    }
    const blocked = await bridge.askFile({ name: record.handle.name, mime: '', blob, dataUrl: null, blobUrl: null, via: 'save-picker' });
    if (!blocked) return finish();
    try {
      await stop();
    } catch {
      // already errored: nothing was committed either
    }
    throw new intr.DOMException('The file was not saved: it holds customer information (Baomi Guard).', 'NotAllowedError');
  };

  // close() and abort() live on WritableStream.prototype, which the file stream inherits.
  replaceMethod<() => Promise<void>>(
    win.WritableStream.prototype,
    'close',
    (original) =>
      ({
        close(this: object) {
          const record = apply(c.weakMapGet, parts, [this]) as Written | undefined;
          if (!record) return apply(original, this, arguments) as Promise<void>;
          apply(c.weakMapDelete, parts, [this]);
          const self = this;
          return decideAtClose(
            record,
            () => apply(original, self, []) as Promise<void>,
            () => apply(abort, self, []) as Promise<void>,
          );
        },
      }).close,
    intr,
  );

  // The writer route (stream.getWriter().write(…) … writer.close()): the same record, kept per writer.
  const writers = new c.WeakMap<object, { stream: object; record: Written }>();
  replaceMethod<() => WritableStreamDefaultWriter>(
    win.WritableStream.prototype,
    'getWriter',
    (original) =>
      ({
        getWriter(this: object) {
          const writer = apply(original, this, arguments) as WritableStreamDefaultWriter;
          const record = apply(c.weakMapGet, parts, [this]) as Written | undefined;
          if (record) apply(c.weakMapSet, writers, [writer, { stream: this, record }]);
          return writer;
        },
      }).getWriter,
    intr,
  );
  const writerProto = win.WritableStreamDefaultWriter.prototype;
  replaceMethod<(chunk: unknown) => Promise<void>>(
    writerProto,
    'write',
    (original) =>
      ({
        write(this: object, chunk: unknown) {
          const entry = apply(c.weakMapGet, writers, [this]) as { record: Written } | undefined;
          if (entry && chunk !== undefined && chunk !== null) {
            const payload = typeof chunk === 'object' && 'type' in (chunk as object) ? (chunk as { data?: unknown }).data : chunk;
            if (payload !== undefined && payload !== null) entry.record.parts.push(payload as BlobPart);
          }
          return apply(original, this, arguments) as Promise<void>;
        },
      }).write,
    intr,
  );
  const releaseLock = writerProto.releaseLock;
  replaceMethod<() => Promise<void>>(
    writerProto,
    'close',
    (original) =>
      ({
        close(this: object) {
          const entry = apply(c.weakMapGet, writers, [this]) as { stream: object; record: Written } | undefined;
          if (!entry) return apply(original, this, arguments) as Promise<void>;
          apply(c.weakMapDelete, writers, [this]);
          apply(c.weakMapDelete, parts, [entry.stream]);
          const self = this;
          return decideAtClose(
            entry.record,
            () => apply(original, self, []) as Promise<void>,
            async () => {
              // The stream can only be aborted once the writer let go of it.
              apply(releaseLock, self, []);
              await (apply(abort, entry.stream, []) as Promise<void>);
            },
          );
        },
      }).close,
    intr,
  );
}
