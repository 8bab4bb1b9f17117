/**
 * Duplicate ids among hundreds of thousands, found without a Set of strings: ids are hashed once, then checked
 * bucket by bucket in tables that stay in the processor's cache.
 */

/** FNV-1a over the characters, then a final mix (FNV's low bits mix poorly for ids that differ in the last character). */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let char = 0; char < id.length; char++) hash = Math.imul(hash ^ id.charCodeAt(char), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return hash ^ (hash >>> 12);
}

/** Ids are partitioned into 2^BUCKET_BITS buckets by the top bits of their hash. */
const BUCKET_BITS = 8;
const BUCKETS = 1 << BUCKET_BITS;

/**
 * True when two of `ids` are equal. Each id is hashed once, in order; the indices are then partitioned by the
 * hash's top bits, and each bucket (a few thousand ids at half a million) is checked with a small
 * open-addressing table that stays in the processor's cache. One table over all ids was twice as slow: each
 * insertion was a cache miss somewhere in megabytes. Ids' characters are compared only when hashes are
 * equal. No allocation per id; a bucket that gets every id (an adversarial list) is one big table, never a
 * quadratic scan.
 */
export function hasDuplicate(ids: readonly string[]): boolean {
  const hashes = new Int32Array(ids.length);
  for (let index = 0; index < ids.length; index++) hashes[index] = idHash(ids[index]!);
  return hasDuplicateHash(hashes, (a, b) => ids[a] === ids[b]);
}

/**
 * hasDuplicate for ids already hashed with idHash (`hashes[i]` for the i-th id): a caller that reads each record
 * anyway hashes its id while the characters are in the cache, and needs no list of the ids. `sameId(a, b)`
 * compares the ids at two indices; it is asked only when their hashes are equal.
 */
export function hasDuplicateHash(hashes: Int32Array, sameId: (a: number, b: number) => boolean): boolean {
  const count = hashes.length;
  const bucketStarts = new Int32Array(BUCKETS + 1);
  for (let index = 0; index < count; index++) bucketStarts[(hashes[index]! >>> (32 - BUCKET_BITS)) + 1]!++;
  let largest = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    largest = Math.max(largest, bucketStarts[bucket + 1]!);
    bucketStarts[bucket + 1]! += bucketStarts[bucket]!;
  }
  const byBucket = new Int32Array(count);
  const next = bucketStarts.slice(0, BUCKETS);
  for (let index = 0; index < count; index++) byBucket[next[hashes[index]! >>> (32 - BUCKET_BITS)]!++] = index;

  let size = 16;
  while (size < largest * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size);
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    slots.fill(-1);
    for (let position = bucketStarts[bucket]!; position < bucketStarts[bucket + 1]!; position++) {
      const index = byBucket[position]!;
      const hash = hashes[index]!;
      let slot = hash & mask;
      for (;;) {
        const other = slots[slot]!;
        if (other === -1) {
          slots[slot] = index;
          break;
        }
        if (hashes[other] === hash && sameId(other, index)) return true;
        slot = (slot + 1) & mask;
      }
    }
  }
  return false;
}
