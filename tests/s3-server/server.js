'use strict';
// Starts s3rver for StockFlow.Storage.Tests on 127.0.0.1.
// Usage: node --openssl-legacy-provider server.js <data-directory> [port]   (port 0 or absent = any free port)
// Prints "S3RVER_LISTENING <port>" once it accepts connections, and exits when its
// standard input closes, so a test host that dies never leaves a server behind.

// s3rver 3.7.1 walks bucket folders depth-first in directory order, which is not S3's
// key order ("symbol=BRK/..." comes before "symbol=BRK-B/..." although '-' < '/'), and its
// paging (start-after = last key returned) then skips keys. Real S3 lists in UTF-8 byte
// order; this sorted walk restores that. It must be in place before s3rver loads its store.
const utils = require('s3rver/lib/utils');
const fs = require('fs');
const path = require('path');

const SUFFIX = /\._S3rver_[^/]*$/;
function collect(dir, recurseFilter, out) {
  for (const name of fs.readdirSync(dir)) {
    const filePath = path.posix.join(dir, name);
    if (!fs.statSync(filePath).isDirectory()) {
      out.push(filePath);
    } else if (!recurseFilter || recurseFilter(filePath)) {
      collect(filePath, recurseFilter, out);
    }
  }
  return out;
}
utils.walk = function* sortedWalk(dir, recurseFilter) {
  const files = collect(dir, recurseFilter, []);
  const sortKey = p => Buffer.from(p.replace(SUFFIX, ''), 'utf8');
  files.sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)) || (a < b ? -1 : a > b ? 1 : 0));
  yield* files;
};

const S3rver = require('s3rver');

// s3rver encrypts ListObjectsV2 continuation tokens with DES; OpenSSL 3 only offers it
// through its legacy provider. Fail at start, not on the first paged listing.
try {
  require('crypto').createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
} catch (err) {
  console.error(`DES is unavailable (${err.message}): start with "node --openssl-legacy-provider server.js ..."`);
  process.exit(3);
}

const [directory, portArg] = process.argv.slice(2);
if (!directory) {
  console.error('usage: node server.js <data-directory> [port]');
  process.exit(2);
}

new S3rver({
  address: '127.0.0.1',
  port: Number(portArg || 0),
  directory,
  silent: true,
})
  .run()
  .then(({ port }) => {
    console.log(`S3RVER_LISTENING ${port}`);
  })
  .catch(err => {
    console.error(err);
    process.exit(1);
  });

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
