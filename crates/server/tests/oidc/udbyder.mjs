// A real OpenID Connect provider (npm `oidc-provider`) that VITAS's tests start in place of
// NemLog-in / MitID Erhverv (companies), FKA (jobcentre staff) and MitID (citizens).
//
//   node udbyder.mjs            # PORT=0: any free port
//
// It prints one line, `KLAR <issuer>`, once it listens. VITAS under test listens on a port of
// its own choosing, so the clients' redirect addresses are registered on 127.0.0.1 without a
// port and matched on any port there (as RFC 8252 §7.3 allows native apps; a test fixture's
// relaxation, nothing VITAS relies on). The login form is the package's own
// development form: the login name is the account, written as `navn=Jens Hansen;cvr=12345678`
// (keys: navn, cvr, cpr, kommune, roller (comma-separated), fejl). Any password is accepted.
//
// `fejl=...` makes the token endpoint hand VITAS a broken ID token, re-signed with the
// provider's own key so that only the named fault is wrong: `aud` (another audience),
// `udloebet` (expired), `signatur` (signed with another key), `nonce` (another nonce).
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.env.PORT || 0);

// The claim names VITAS reads by default (crates/web/src/login.rs, `Claimnavne`).
const CLAIM = {
  cvr: 'https://data.gov.dk/model/core/eid/professional/cvr',
  cpr: 'https://data.gov.dk/model/core/eid/cprNumber',
  kommune: 'https://fka.kombit.dk/claims/kommunekode',
  roller: 'https://fka.kombit.dk/claims/roller',
};

const noegle = await jose.generateKeyPair('RS256', { extractable: true });
const fremmed = await jose.generateKeyPair('RS256', { extractable: true });
const kid = 'vitas-test-' + crypto.randomBytes(4).toString('hex');
const privat = { ...(await jose.exportJWK(noegle.privateKey)), kid, alg: 'RS256', use: 'sig' };

function konto(id) {
  const felter = Object.fromEntries(
    id.split(';').map((d) => d.split('=')).filter((d) => d.length === 2).map(([k, v]) => [k.trim(), v.trim()]),
  );
  const claims = { sub: crypto.createHash('sha256').update(id).digest('hex').slice(0, 32) };
  if (felter.navn) claims.name = felter.navn;
  if (felter.cvr) claims[CLAIM.cvr] = felter.cvr;
  if (felter.cpr) claims[CLAIM.cpr] = felter.cpr;
  if (felter.kommune) claims[CLAIM.kommune] = felter.kommune;
  if (felter.roller !== undefined) claims[CLAIM.roller] = felter.roller.split(',').filter(Boolean);
  if (felter.fejl) claims.test_fejl = felter.fejl;
  return claims;
}

const klienter = ['virksomhed', 'medarbejder', 'borger'].map((slags) => ({
  client_id: `vitas-${slags}`,
  client_secret: `hemmelig-${slags}`,
  redirect_uris: ['http://127.0.0.1/log-ind/svar'],
  post_logout_redirect_uris: ['http://127.0.0.1/?udlogget=1'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
}));

const server = http.createServer();
await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: klienter,
  jwks: { keys: [privat] },
  claims: {
    openid: ['sub'],
    profile: ['name'],
    vitas: [...Object.values(CLAIM), 'test_fejl'],
  },
  scopes: ['openid', 'profile', 'vitas'],
  // The claims of the scopes go in the ID token, as NemLog-in and FKA put them there.
  conformIdTokenClaims: false,
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => konto(id) };
  },
  // First-party clients: no consent screen, every scope the client asks for is granted.
  async loadExistingGrant(ctx) {
    const eksisterende = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (eksisterende) {
      const g = await ctx.oidc.provider.Grant.find(eksisterende);
      if (g) return g;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile vitas');
    grant.addOIDCClaims([...Object.values(CLAIM), 'name', 'test_fejl']);
    await grant.save();
    return grant;
  },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
});

// Any port on 127.0.0.1, for the answer and for the way back after logout.
const udenPort = (v) => {
  try {
    const u = new URL(v);
    if (u.hostname !== '127.0.0.1') return null;
    u.port = '';
    return u.href;
  } catch {
    return null;
  }
};
const paaEnhverPort = (liste, v) => udenPort(v) !== null && liste.some((a) => udenPort(a) === udenPort(v));
provider.Client.prototype.redirectUriAllowed = function (v) { return paaEnhverPort(this.redirectUris, v); };
provider.Client.prototype.postLogoutRedirectUriAllowed = function (v) { return paaEnhverPort(this.postLogoutRedirectUris || [], v); };

// The fault injector: only the token endpoint's answer, and only for an account that asked.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || typeof ctx.body.id_token !== 'string') return;
  const payload = jose.decodeJwt(ctx.body.id_token);
  const fejl = payload.test_fejl;
  if (!fejl) return;
  delete payload.test_fejl;
  const nu = Math.floor(Date.now() / 1000);
  let key = noegle.privateKey;
  if (fejl === 'aud') payload.aud = 'en-helt-anden-klient';
  if (fejl === 'udloebet') Object.assign(payload, { iat: nu - 7200, exp: nu - 3600 });
  if (fejl === 'signatur') key = fremmed.privateKey;
  if (fejl === 'nonce') payload.nonce = 'en-anden-nonce';
  ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key) };
});

server.on('request', provider.callback());
console.log(`KLAR ${issuer}`);
