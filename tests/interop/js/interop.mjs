/*
 * Digital Bazaar's VC libraries, run as an independent implementation against the
 * registry (tests/interop/test_digitalbazaar.py drives this script).
 *
 * Reads one JSON request from stdin and writes one JSON answer to stdout:
 *   {"documents": {url: document, ...},   // served by the document loader, with the
 *                                         // W3C contexts these packages ship; never
 *                                         // the network
 *    "tasks": [{"id", "op", ...}, ...]}
 * ops:
 *   contexts             {}                                   -> {contexts: {url: context}}
 *   issue                {suite, seed, credential, date?}            -> {document, verificationMethod}
 *   sign                 {suite, seed, credential}            -> as issue, unchecked
 *   verify               {credential, now?, issuerController?} -> {verified, errors, status}
 *   verify-proof         {document, controller}               -> {verified, errors}
 *   prove-presentation   {suite, seed, presentation, challenge, domain?} -> {document}
 * `seed` is 64 hex characters; the key is a did:key (Ed25519 Multikey) made from it.
 * Every answer is {"results": [{"id", "ok", ...}]}; a task that throws has ok=false and
 * its error message, and never stops the others.
 */
import {gunzipSync} from 'node:zlib';

import * as vc from '@digitalbazaar/vc';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {
  createSignCryptosuite as jcsSign,
  createVerifyCryptosuite as jcsVerify
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as rdfcCryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as statusContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import jsigs from 'jsonld-signatures';

const didKeys = didKeyDriver();
didKeys.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

const PACKAGED_CONTEXTS = [
  credentialsContexts, dataIntegrityContexts, multikeyContexts, statusContexts
];

function documentLoaderFor(documents) {
  const loader = new JsonLdDocumentLoader();
  for(const map of PACKAGED_CONTEXTS) {
    for(const [url, context] of map) {
      loader.addStatic(url, context);
    }
  }
  // The registry's own documents come last: its shipped contexts win over nothing
  // (a W3C context it ships must equal the packaged one, or a check below fails).
  for(const [url, document] of Object.entries(documents)) {
    loader.addStatic(url, document);
  }
  const staticLoader = loader.build();
  return async url => {
    if(url.startsWith('did:key:')) {
      const document = await didKeys.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    return staticLoader(url);
  };
}

async function keyFromSeed(seedHex) {
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  const key = await Ed25519Multikey.generate({seed});
  const controller = `did:key:${key.publicKeyMultibase}`;
  key.controller = controller;
  key.id = `${controller}#${key.publicKeyMultibase}`;
  return key;
}

// `date`: the proof's `created` (null: none; absent: now).
function signingSuite(name, key, date) {
  if(name === 'eddsa-jcs-2022') {
    return new DataIntegrityProof({signer: key.signer(), cryptosuite: jcsSign(), date});
  }
  if(name === 'eddsa-rdfc-2022') {
    return new DataIntegrityProof({signer: key.signer(), cryptosuite: rdfcCryptosuite, date});
  }
  throw new Error(`unknown cryptosuite ${name}`);
}

function verifyingSuites() {
  return [
    new DataIntegrityProof({cryptosuite: jcsVerify()}),
    new DataIntegrityProof({cryptosuite: rdfcCryptosuite})
  ];
}

// W3C Bitstring Status List v1.0 §3.2: fetch the list credential, verify it, read the bit
// (index 0 is the left-most bit of the first byte) from the GZIP'd, multibase-base64url
// `encodedList`.
function statusChecker(documentLoader, issuerController) {
  return async ({credential}) => {
    const entries = [].concat(credential.credentialStatus);
    const results = [];
    for(const entry of entries) {
      if(entry.type !== 'BitstringStatusListEntry') {
        // Not a status type this checker knows: reported, not failed.
        results.push({type: entry.type, set: null});
        continue;
      }
      const {document: list} = await documentLoader(entry.statusListCredential);
      const listResult = await vc.verifyCredential({
        credential: list,
        suite: verifyingSuites(),
        purpose: issuerController ?
          await issuancePurpose(list, documentLoader) : undefined,
        documentLoader
      });
      if(!listResult.verified) {
        throw new Error(`status list ${entry.statusListCredential} does not verify: ` +
          errorsOf(listResult).join('; '));
      }
      const subject = list.credentialSubject;
      if(subject.statusPurpose !== entry.statusPurpose) {
        throw new Error('status purpose of the entry and the list differ');
      }
      const encoded = subject.encodedList;
      if(!encoded.startsWith('u')) {
        throw new Error('encodedList is not multibase base64url');
      }
      const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
      const index = Number.parseInt(entry.statusListIndex, 10);
      const size = entry.statusSize ?? 1;
      if(bits.length * 8 < 131072 * size) {
        throw new Error(`status list holds ${bits.length * 8} bits, fewer than 131072`);
      }
      const bit = (bits[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
      results.push({purpose: entry.statusPurpose, index, set: bit === 1});
    }
    return {verified: results.every(r => r.set !== true), results};
  };
}

// The issuer's controller document, as published (its `@context` is the W3C CID context,
// which these packages do not ship, so the library must not frame it): the verification
// method must be listed under its `assertionMethod`, and its id must be the issuer's.
async function issuancePurpose(credential, documentLoader) {
  const issuer = typeof credential.issuer === 'string' ?
    credential.issuer : credential.issuer.id;
  const {document: controller} = await documentLoader(issuer);
  return new vc.CredentialIssuancePurpose({controller});
}

function errorsOf(result) {
  const found = [];
  const walk = value => {
    if(!value || typeof value !== 'object') {
      return;
    }
    if(value instanceof Error) {
      found.push(value.message);
      for(const inner of value.errors ?? []) {
        walk(inner);
      }
      return;
    }
    if(Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    for(const key of ['error', 'results', 'presentationResult', 'credentialResults',
      'statusResult']) {
      walk(value[key]);
    }
  };
  walk(result);
  return [...new Set(found)];
}

async function run(task, documentLoader) {
  switch(task.op) {
  case 'contexts': {
    const contexts = {};
    for(const map of PACKAGED_CONTEXTS) {
      for(const [url, context] of map) {
        contexts[url] = context;
      }
    }
    return {contexts};
  }
  case 'issue': {
    const key = await keyFromSeed(task.seed);
    const credential = structuredClone(task.credential);
    credential.issuer ??= key.controller;
    const document = await vc.issue({
      credential, suite: signingSuite(task.suite, key, task.date), documentLoader
    });
    return {document, verificationMethod: key.id};
  }
  case 'sign': {
    // A bare Data Integrity proof with no data-model check, for credentials that a
    // conforming issuer would refuse to sign (the verifiers must refuse them too).
    const key = await keyFromSeed(task.seed);
    const credential = structuredClone(task.credential);
    credential.issuer ??= key.controller;
    const document = await jsigs.sign(credential, {
      suite: signingSuite(task.suite, key),
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader
    });
    return {document, verificationMethod: key.id};
  }
  case 'verify': {
    const result = await vc.verifyCredential({
      credential: task.credential,
      suite: verifyingSuites(),
      purpose: task.issuerController ?
        await issuancePurpose(task.credential, documentLoader) : undefined,
      documentLoader,
      checkStatus: statusChecker(documentLoader, task.issuerController),
      now: task.now
    });
    return {
      verified: result.verified,
      errors: errorsOf(result),
      status: result.statusResult?.results ?? null
    };
  }
  case 'verify-proof': {
    // One proof (of a proof set) on its own, for the key of the controller named.
    const {document: controller} = await documentLoader(task.controller);
    const result = await jsigs.verify(task.document, {
      suite: verifyingSuites(),
      purpose: new jsigs.purposes.AssertionProofPurpose({controller}),
      documentLoader
    });
    return {verified: result.verified, errors: errorsOf(result)};
  }
  case 'prove-presentation': {
    const key = await keyFromSeed(task.seed);
    const presentation = structuredClone(task.presentation);
    presentation.holder ??= key.controller;
    const document = await vc.signPresentation({
      presentation,
      suite: signingSuite(task.suite, key),
      challenge: task.challenge,
      domain: task.domain,
      documentLoader
    });
    return {document, verificationMethod: key.id};
  }
  default:
    throw new Error(`unknown op ${task.op}`);
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const documentLoader = documentLoaderFor(request.documents ?? {});
  const results = [];
  for(const task of request.tasks) {
    try {
      results.push({id: task.id, ok: true, ...await run(task, documentLoader)});
    } catch(error) {
      results.push({id: task.id, ok: false, error: String(error?.stack ?? error)});
    }
  }
  process.stdout.write(JSON.stringify({results}));
}

await main();
