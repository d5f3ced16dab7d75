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

// s3rver 3.7.1 also writes objects straight into their final file and answers the PUT once
// its hashing stage has finished, before the file stream has flushed; parts of a multipart
// upload likewise. A GET right after a PUT can then read a short file, and concurrent PUTs of
// one key interleave object and .md5 files. Real S3 makes every PUT atomic: here each body
// goes to a temp file that is renamed into place after it is fully written, and the
// object/.md5/metadata trio of one key is replaced under a per-key lock.
const crypto = require('crypto');
const { Readable, Transform, pipeline } = require('stream');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3Object = require('s3rver/lib/models/object');

const tempName = target => `${target}.${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`;

function streamToFile(content, filePath) {
  const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
  return new Promise((resolve, reject) => {
    const md5 = crypto.createHash('md5');
    let size = 0;
    const hasher = new Transform({
      transform(chunk, encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    // pipeline's callback runs after the file stream has finished writing.
    pipeline(source, hasher, fs.createWriteStream(filePath), err =>
      err ? reject(err) : resolve({ size, md5: md5.digest('hex') }),
    );
  });
}

async function writeAtomic(filePath, data) {
  const temp = tempName(filePath);
  await fs.promises.writeFile(temp, data);
  await fs.promises.rename(temp, filePath);
}

async function streamIntoPlace(content, target) {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temp = tempName(target);
  try {
    return { temp, ...(await streamToFile(content, temp)) };
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

const keyLocks = new Map();
function withKeyLock(id, action) {
  const run = (keyLocks.get(id) || Promise.resolve()).then(action);
  const tail = run.catch(() => {});
  keyLocks.set(id, tail);
  tail.then(() => keyLocks.get(id) === tail && keyLocks.delete(id));
  return run;
}

FilesystemStore.prototype.putMetadata = async function putMetadata(bucket, key, metadata, md5) {
  const json = {};
  for (const [name, value] of Object.entries(metadata || {})) {
    if (S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')) json[name] = value;
  }
  if (md5) await writeAtomic(this.getResourcePath(bucket, key, 'object.md5'), md5);
  await writeAtomic(this.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(json, null, 2));
};

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  const { temp, size, md5 } = await streamIntoPlace(object.content, objectPath);
  await withKeyLock(objectPath, async () => {
    await fs.promises.rename(temp, objectPath);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  });
  return { size, md5 };
};

FilesystemStore.prototype.putPart = async function putPart(bucket, uploadId, partNumber, content) {
  const partPath = path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, partNumber.toString());
  const { temp, size, md5 } = await streamIntoPlace(content, partPath);
  await fs.promises.rename(temp, partPath);
  await writeAtomic(`${partPath}.md5`, md5);
  return { size, md5 };
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

// s3rver 3.7.1 ignores S3's conditional requests. The lake lock needs two of them, as S3 answers them:
// PutObject with If-None-Match: * (412 PreconditionFailed when the key exists) and DeleteObject with
// If-Match: <etag> (412 when the ETag differs, 404 NoSuchKey when the key is gone). Conditional
// requests of one key are serialized, so check-then-act is atomic among them.
function xmlError(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function conditionalRequests(ctx, next) {
  const ifNoneMatch = ctx.get('if-none-match');
  const ifMatch = ctx.get('if-match');
  const isObjectWrite = ctx.method === 'PUT' && ifNoneMatch && !('uploadId' in ctx.query) && !('partNumber' in ctx.query);
  const isObjectDelete = ctx.method === 'DELETE' && ifMatch && Object.keys(ctx.query).length === 0;
  const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
  if ((!isObjectWrite && !isObjectDelete) || !match) return next();
  const [, bucket, encodedKey] = match;
  const key = decodeURIComponent(encodedKey);
  const store = ctx.app.store;
  return withKeyLock(`conditional:${bucket}/${key}`, async () => {
    const exists = await store.existsObject(bucket, key);
    if (isObjectWrite) {
      if (ifNoneMatch !== '*') return xmlError(ctx, 501, 'NotImplemented', 'If-None-Match accepts only *');
      if (exists) return xmlError(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      return next();
    }
    if (!exists) return xmlError(ctx, 404, 'NoSuchKey', 'The specified key does not exist.');
    const md5 = (await fs.promises.readFile(store.getResourcePath(bucket, key, 'object.md5'), 'utf8')).trim();
    if (ifMatch !== '*' && ifMatch !== `"${md5}"`) {
      return xmlError(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    return next();
  });
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(portArg || 0),
  directory,
  silent: true,
});
server.middleware.unshift(conditionalRequests);
server
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
