// A small seeded PRNG (mulberry32) so randomized tests replay the same schedule from a seed.

/** The seed for this run: `INTEROP_SEED` if set, else a fresh random one. */
export function seedFromEnv () {
  const given = process.env.INTEROP_SEED
  if (given !== undefined && given !== '') {
    const seed = Number(given)
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`INTEROP_SEED must be an integer in 0..4294967295, got ${JSON.stringify(given)}`)
    }
    return seed
  }
  return Math.floor(Math.random() * 0x100000000)
}

export class Rng {
  /** @param {number} seed */
  constructor (seed) { this.state = seed >>> 0 }

  /** A float in [0, 1). */
  next () {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max]. @param {number} min @param {number} max */
  int (min, max) { return min + Math.floor(this.next() * (max - min + 1)) }

  /** @template T @param {T[]} items @returns {T} */
  pick (items) { return items[this.int(0, items.length - 1)] }

  /** @param {number} p */
  chance (p) { return this.next() < p }

  /** A short random string of letters, digits and now and then a newline. @param {number} max */
  word (max = 6) {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 _(){}\n'
    let out = ''
    const n = this.int(1, max)
    for (let i = 0; i < n; i++) out += alphabet[this.int(0, alphabet.length - 1)]
    return out
  }
}

/**
 * A random local edit on `text`: insert a word or delete a short range.
 * @param {Rng} rng
 * @param {import('yjs').Text} text
 */
export function randomEdit (rng, text) {
  const length = text.length
  if (length > 0 && rng.chance(0.3)) {
    const at = rng.int(0, length - 1)
    text.delete(at, Math.min(rng.int(1, 4), length - at))
  } else {
    text.insert(rng.int(0, length), rng.word())
  }
}
