/** xoshiro128** over a SHA-256 of the seed: small, fast, and its state fits a snapshot. */
import { createHash } from "node:crypto";
import type { SeededRandom } from "./contract.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export interface SnapshotRandom extends SeededRandom {
  save(): number[];
  load(state: number[]): void;
}

export function createSeededRandom(seed: string): SnapshotRandom {
  const digest = createHash("sha256").update(seed).digest();
  let s = [0, 1, 2, 3].map((i) => digest.readUInt32LE(i * 4) || 1);
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const nextU32 = (): number => {
    const [a = 0, b = 0, c = 0, d = 0] = s;
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    let c2 = (c ^ a) >>> 0;
    let d2 = (d ^ b) >>> 0;
    const b2 = (b ^ c2) >>> 0;
    const a2 = (a ^ d2) >>> 0;
    c2 = (c2 ^ t) >>> 0;
    d2 = rotl(d2, 11);
    s = [a2, b2, c2, d2];
    return result;
  };
  const next = () => nextU32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    id: (prefix, length = 24) => {
      let out = prefix;
      for (let i = 0; i < length; i++) out += ALPHABET[nextU32() % ALPHABET.length];
      return out;
    },
    hex: (bytes) => {
      let out = "";
      for (let i = 0; i < bytes; i++) out += (nextU32() & 0xff).toString(16).padStart(2, "0");
      return out;
    },
    save: () => [...s],
    load: (state) => {
      s = [...state];
    },
  };
}
