// Nephele's Node.js runtime client: polls the Lambda Runtime API, loads the handler (CommonJS or ESM),
// runs async and callback handlers with AWS's context object, and reports results and errors as AWS does.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');
const { Writable } = require('stream');
const { finished } = require('stream/promises');

const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const PREFIX = '/2018-06-01/runtime';
const DONE = '\u0000nephele:done:';
let currentRequestId;

function call(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port: PORT, method, path: PREFIX + urlPath, agent, headers: headers || {} }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body); else req.end();
  });
}

// console.* lines look like AWS's: timestamp, request id, level, message; newlines become \r so that
// one call stays one log event. Written synchronously to stdout, so they precede the done marker.
function emit(level, args) {
  const message = util.format.apply(util, args).replace(/\n/g, '\r');
  fs.writeSync(1, `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
}
console.log = (...a) => emit('INFO', a);
console.info = (...a) => emit('INFO', a);
console.warn = (...a) => emit('WARN', a);
console.error = (...a) => emit('ERROR', a);
console.debug = (...a) => emit('DEBUG', a);
console.trace = (...a) => emit('TRACE', a);

// Response streaming as AWS's Node.js runtime offers it: awslambda.streamifyResponse marks a handler that takes a
// writable responseStream; awslambda.HttpResponseStream.from writes the function URL prelude (status, headers, cookies)
// followed by 8 NUL bytes before the body.
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[STREAMING] = 'response';
    return handler;
  },
  HttpResponseStream: class HttpResponseStream {
    static from(underlyingStream, prelude) {
      underlyingStream.setContentType(HTTP_INTEGRATION);
      underlyingStream.write(JSON.stringify(prelude || {}));
      underlyingStream.write(new Uint8Array(8));
      return underlyingStream;
    }
  },
};

// The Runtime API's streaming mode: one chunked POST .../response whose chunks go out as the handler writes them;
// an error after it started travels in the trailers.
function responseStream(id) {
  let req;
  let contentType = 'application/octet-stream';
  const open = () => {
    if (req) return req;
    req = http.request({
      host: HOST, port: PORT, method: 'POST', path: `${PREFIX}/invocation/${id}/response`, agent,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        'Content-Type': contentType,
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    });
    req.done = new Promise((resolve, reject) => {
      req.on('response', res => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
    });
    return req;
  };
  const stream = new Writable({
    write(chunk, encoding, callback) { open().write(chunk, callback); },
    final(callback) { callback(); },
  });
  stream.setContentType = type => { contentType = type; };
  stream.open = open;
  return stream;
}

async function runStreaming(handler, event, context, id) {
  const stream = responseStream(id);
  let failure;
  try {
    await handler(event, stream, context);
    if (!stream.writableEnded) stream.end();
    await finished(stream);
  } catch (e) {
    failure = errorPayload(e);
    fs.writeSync(1, `${new Date().toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(failure)}\n`);
  }
  fs.writeSync(1, DONE + id + '\n');
  const req = stream.open();
  if (failure) {
    req.addTrailers({
      'Lambda-Runtime-Function-Error-Type': failure.errorType,
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(failure)).toString('base64'),
    });
  }
  req.end();
  await req.done;
}

function errorPayload(err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: (err.stack || '').split('\n') };
  }
  return { errorType: typeof err === 'string' ? 'string' : 'Error', errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] };
}

function userError(type, message, cause) {
  const e = new Error(message);
  e.name = type;
  if (cause && cause.stack) e.stack = `${type}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

async function loadHandler() {
  const spec = process.env._HANDLER || '';
  const root = process.env.LAMBDA_TASK_ROOT;
  const dot = spec.lastIndexOf('.');
  if (dot < 0) throw userError('Runtime.MalformedHandlerName', 'Bad handler');
  const modulePath = spec.slice(0, dot);
  const names = spec.slice(dot + 1).split('.');
  const base = path.resolve(root, modulePath);
  let mod;
  const candidates = ['.js', '.mjs', '.cjs'].map(ext => base + ext).filter(p => fs.existsSync(p));
  if (candidates.length === 0) {
    throw userError('Runtime.ImportModuleError', `Error: Cannot find module '${path.basename(modulePath)}'\nRequire stack:\n- ${__filename}`);
  }
  const file = candidates[0];
  try {
    if (file.endsWith('.mjs')) mod = await import(pathToFileURL(file).href);
    else {
      try {
        mod = require(file);
      } catch (e) {
        if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE' || (e instanceof SyntaxError && /import|export/.test(e.message)))) {
          mod = await import(pathToFileURL(file).href);
        } else throw e;
      }
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw userError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`, e);
    if (e && e.code === 'MODULE_NOT_FOUND') throw userError('Runtime.ImportModuleError', `Error: ${e.message}`, e);
    throw e;
  }
  let fn = mod;
  for (const n of names) fn = fn == null ? undefined : (fn[n] !== undefined ? fn[n] : (fn.default && fn.default[n]));
  if (typeof fn !== 'function') throw userError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  return fn;
}

function makeContext(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  if (headers['lambda-runtime-client-context']) context.clientContext = JSON.parse(headers['lambda-runtime-client-context']);
  if (headers['lambda-runtime-cognito-identity']) context.identity = JSON.parse(headers['lambda-runtime-cognito-identity']);
  return context;
}

function run(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err); else resolve(result);
    };
    context.done = callback;
    context.succeed = result => callback(null, result);
    context.fail = err => callback(err || new Error('handled'));
    try {
      const result = handler(event, context, callback);
      if (result && typeof result.then === 'function') result.then(v => callback(null, v), e => callback(e));
      else if (handler.length < 3 && result !== undefined) callback(null, result);
    } catch (e) {
      callback(e);
    }
  });
}

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    const payload = errorPayload(e);
    fs.writeSync(1, `${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(payload)}\n`);
    await call('POST', '/init/error', JSON.stringify(payload), { 'Lambda-Runtime-Function-Error-Type': payload.errorType });
    process.exit(129);
  }
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    if (handler[STREAMING] === 'response') {
      let event = null;
      try { event = next.body.length ? JSON.parse(next.body.toString('utf8')) : null; } catch (e) { event = next.body.toString('utf8'); }
      await runStreaming(handler, event, makeContext(next.headers), id);
      continue;
    }
    let outcome;
    try {
      const event = next.body.length ? JSON.parse(next.body.toString('utf8')) : null;
      const result = await run(handler, event, makeContext(next.headers));
      outcome = { ok: true, body: JSON.stringify(result === undefined ? null : result) };
    } catch (e) {
      const payload = errorPayload(e);
      fs.writeSync(1, `${new Date().toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(payload)}\n`);
      outcome = { ok: false, body: JSON.stringify(payload), type: payload.errorType };
    }
    fs.writeSync(1, DONE + id + '\n');
    if (outcome.ok) await call('POST', `/invocation/${id}/response`, outcome.body);
    else await call('POST', `/invocation/${id}/error`, outcome.body, { 'Lambda-Runtime-Function-Error-Type': outcome.type });
  }
}

process.on('uncaughtException', e => {
  const payload = errorPayload(e);
  fs.writeSync(1, `${new Date().toISOString()}\t${currentRequestId}\tERROR\tUncaught Exception \t${JSON.stringify(payload)}\n`);
  process.exit(129);
});
process.on('unhandledRejection', e => {
  const payload = errorPayload(e);
  fs.writeSync(1, `${new Date().toISOString()}\t${currentRequestId}\tERROR\tUnhandled Promise Rejection \t${JSON.stringify(payload)}\n`);
  process.exit(128);
});

// When Nephele is gone the runtime API refuses connections: the environment ends with it.
main().catch(() => process.exit(1));
