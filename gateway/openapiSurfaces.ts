/**
 * The parts of the gateway that are not JSON routes, described in the OpenAPI document so a
 * reader (and a generated client) knows they exist and what they speak: Git smart HTTP under
 * `/git` (git's own protocol, for the git CLI; see docs/git.md) and the editors' pages under
 * `/ui` (HTML for browsers; see docs/editors.md). Their behaviour is git's and the pages'; this
 * file only declares them.
 */
import type { OperationObject } from './openapi.js';
import { paramSchemas, type JsonSchema } from './schemas.js';

const text = (description: string): JsonSchema => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
const binary = (mediaType: string, description: string): JsonSchema => ({
  description,
  content: { [mediaType]: { schema: { type: 'string', contentEncoding: 'binary' } } },
});

const site = { name: 'site', in: 'path' as const, required: true, schema: paramSchemas.site ?? { type: 'string' }, description: 'Site id; the repository is `<site>.git`.' };

const gitErrors: Record<string, JsonSchema> = {
  '400': text('Not a smart-HTTP request git understands.'),
  '401': { ...text('No key, or not a valid one: git asks for credentials (any user name, the API key as password).'), headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: '`Basic realm="verso"`' } } },
  '403': text('The key may fetch but not push (viewer, integration).'),
  '404': text('No such repository, or one the key may not see.'),
};

const gitNote =
  "Git smart HTTP (git's own wire protocol, gitprotocol-http), used by `git clone`, `fetch` and `push`, " +
  'not by JSON clients. Partial clones (`--filter=blob:none`) are supported.';

export const surfacePaths: Record<string, Record<string, OperationObject>> = {
  '/git/{site}.git/info/refs': {
    get: {
      operationId: 'gitInfoRefs',
      tags: ['Git'],
      summary: 'Git: advertise refs (first step of clone, fetch and push)',
      description: gitNote,
      security: [{ gitBasic: [] }],
      'x-verso-access': 'site:read',
      parameters: [site, { name: 'service', in: 'query' as const, required: true, schema: { type: 'string', enum: ['git-upload-pack', 'git-receive-pack'] } }],
      responses: {
        '200': binary('application/x-git-upload-pack-advertisement', 'The ref advertisement (`application/x-git-receive-pack-advertisement` for a push).'),
        ...gitErrors,
      },
    },
  },
  '/git/{site}.git/git-upload-pack': {
    post: {
      operationId: 'gitUploadPack',
      tags: ['Git'],
      summary: 'Git: send the objects a clone or fetch asks for',
      description: gitNote,
      security: [{ gitBasic: [] }],
      'x-verso-access': 'site:read',
      parameters: [site],
      requestBody: { required: true, content: { 'application/x-git-upload-pack-request': { schema: { type: 'string', contentEncoding: 'binary' } } } },
      responses: { '200': binary('application/x-git-upload-pack-result', 'A pack with the objects asked for.'), ...gitErrors },
    },
  },
  '/git/{site}.git/git-receive-pack': {
    post: {
      operationId: 'gitReceivePack',
      tags: ['Git'],
      summary: 'Git: receive a push (checked, then indexed before the answer)',
      description: `${gitNote} A push that breaks the document layout is refused whole; the refusal names the path.`,
      security: [{ gitBasic: [] }],
      'x-verso-access': 'site:write-docs',
      parameters: [site],
      requestBody: { required: true, content: { 'application/x-git-receive-pack-request': { schema: { type: 'string', contentEncoding: 'binary' } } } },
      responses: { '200': binary('application/x-git-receive-pack-result', "git's report of each ref: accepted, or refused with verso's reason."), ...gitErrors },
    },
  },
  '/ui/sites': {
    get: {
      operationId: 'uiSites',
      tags: ['Editors'],
      summary: "The editors' pages: the sites page (HTML for browsers)",
      description:
        "History, compare, publish and roll back in a browser (docs/editors.md). Signing in at `/ui/sign-in` with an API key sets an HttpOnly session cookie; the pages are not an API.",
      security: [],
      'x-verso-access': 'public',
      responses: {
        '200': { description: 'The sites the session may see; each links to its documents.', content: { 'text/html': { schema: { type: 'string' } } } },
        '303': { description: 'Not signed in: to `/ui/sign-in`.', headers: { Location: { schema: { type: 'string' } } } },
        '400': text('Not a request the pages take.'),
      },
    },
  },
  '/ui/sign-in': {
    get: {
      operationId: 'uiSignIn',
      tags: ['Editors'],
      summary: "The editors' sign-in page (HTML)",
      security: [],
      'x-verso-access': 'public',
      responses: {
        '200': { description: 'The sign-in form.', content: { 'text/html': { schema: { type: 'string' } } } },
        '400': text('Not a request the pages take.'),
      },
    },
  },
};

export const surfaceTags = [
  { name: 'Git', description: 'Git smart HTTP for the git CLI (clone, fetch, push; HTTP Basic auth, the API key as password).' },
  { name: 'Editors', description: "The editors' pages under /ui (HTML, for browsers)." },
];

export const surfaceSecuritySchemes: Record<string, JsonSchema> = {
  gitBasic: { type: 'http', scheme: 'basic', description: 'HTTP Basic for git: any user name, an API key as the password.' },
};
