/**
 * Real npm tarballs, built on demand: a tiny ustar writer (package/package.json and
 * package/index.js) under gzip, and the integrity (sha512) and shasum (sha1) npm checks.
 * Pure functions of their input, memoised, so the same package always gets the same bytes.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

/** npm packs every file with this mtime (1985-10-26T08:15:00Z), so tarballs repeat. */
const NPM_MTIME = 499162500;

export interface BuiltTarball {
  bytes: Buffer;
  integrity: string;
  shasum: string;
  fileCount: number;
  unpackedSize: number;
}

function octal(header: Buffer, value: number, offset: number, length: number): void {
  header.write(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length, "ascii");
}

function entry(path: string, body: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(path, 0, 100, "utf8");
  octal(header, 0o644, 100, 8);
  octal(header, 0, 108, 8);
  octal(header, 0, 116, 8);
  octal(header, body.length, 124, 12);
  octal(header, NPM_MTIME, 136, 12);
  header.fill(" ", 148, 156);
  header.write("0", 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding]);
}

/** A gzipped tar of `files` under `package/`. */
export function tar(files: Record<string, string>): Buffer {
  const parts = Object.entries(files).map(([path, text]) =>
    entry(`package/${path}`, Buffer.from(text, "utf8")),
  );
  return gzipSync(Buffer.concat([...parts, Buffer.alloc(1024)]), { level: 9 });
}

const cache = new Map<string, BuiltTarball>();

export function buildTarball(files: Record<string, string>): BuiltTarball {
  const key = JSON.stringify(files);
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = tar(files);
  const built: BuiltTarball = {
    bytes,
    integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
    shasum: createHash("sha1").update(bytes).digest("hex"),
    fileCount: Object.keys(files).length,
    unpackedSize: Object.values(files).reduce((n, text) => n + Buffer.byteLength(text), 0),
  };
  if (cache.size > 2_000) cache.clear();
  cache.set(key, built);
  return built;
}
