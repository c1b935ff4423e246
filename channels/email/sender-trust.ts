// Pure: whether a mail's From address is proven, read from the Authentication-Results header (RFC 8601) that the
// charity's own receiving server wrote. Anyone can write such a header into a mail, so only the server's own counts.

/** One raw header line as mailparser keeps them, in mail order (top first). */
export interface HeaderLine {
  key: string;
  line: string;
}

interface Result {
  method: string;
  result: string;
  props: Map<string, string>;
}

/**
 * The header value split into its `;`-separated parts, each a list of tokens in which `=` is a token of its own;
 * comments (nested, escaped) are dropped and quoted strings unquoted. One pass over the value.
 */
function tokenize(value: string): string[][] {
  const parts: string[][] = [[]];
  let token = '';
  let quoted = false;
  let depth = 0;
  const end = () => {
    if (token !== '') parts[parts.length - 1]?.push(token);
    token = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (quoted) {
      if (c === '\\') token += value[++i] ?? '';
      else if (c === '"') quoted = false;
      else token += c;
    } else if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '(') {
      end();
      depth = 1;
    } else if (c === ';') {
      end();
      parts.push([]);
    } else if (c === '=') {
      end();
      parts[parts.length - 1]?.push('=');
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      end();
    } else {
      token += c;
    }
  }
  end();
  return parts;
}

/** `name = value` pairs of one part, in order. */
function pairs(tokens: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [name, eq, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (eq === '=' && name !== undefined && value !== undefined && name !== '=' && value !== '=') {
      out.push([name.toLowerCase(), value]);
      i += 2;
    }
  }
  return out;
}

/** The authserv-id and the method results of one Authentication-Results value. */
export function parseAuthResults(value: string): { authservId: string; results: Result[] } {
  const [head = [], ...rest] = tokenize(value);
  const results: Result[] = [];
  for (const part of rest) {
    const [first, ...props] = pairs(part);
    if (!first) continue;
    // `dkim/1=pass`: a method may carry a version.
    const method = first[0].split('/')[0] ?? '';
    results.push({ method, result: first[1].toLowerCase(), props: new Map(props.map(([k, v]) => [k, v])) });
  }
  return { authservId: (head[0] ?? '').toLowerCase(), results };
}

/** The domain of `header.d`, or of `header.i` (`@sub.example.sa` or `user@sub.example.sa`). */
function signingDomain(props: Map<string, string>): string | undefined {
  const d = (props.get('header.d') ?? props.get('header.i')?.split('@').pop())?.toLowerCase();
  // A fully qualified name may end in a dot.
  return d?.endsWith('.') ? d.slice(0, -1) : d;
}

/** Relaxed alignment without a public-suffix list: the same domain, or From under the signer's (who owns its DNS). */
function aligned(signer: string, fromDomain: string): boolean {
  return signer !== '' && (signer === fromDomain || fromDomain.endsWith(`.${signer}`));
}

function passes(r: Result, fromDomain: string): boolean {
  if (r.result !== 'pass') return false;
  if (r.method === 'dmarc') {
    const checked = r.props.get('header.from')?.toLowerCase();
    return checked === undefined || checked === fromDomain;
  }
  if (r.method === 'dkim') {
    const signer = signingDomain(r.props);
    return signer !== undefined && aligned(signer, fromDomain);
  }
  return false;
}

/**
 * True when the receiving server named `authservId` says DMARC passed for this From domain, or DKIM passed with a
 * signing domain aligned to it. Only the topmost Authentication-Results header carrying that id counts: a server
 * adds its own on top of everything the mail already held, so one written lower down came with the mail. A mail
 * with more than one From header or address is never proven (DMARC cannot judge it either).
 */
export function isSenderProven(headerLines: readonly HeaderLine[], fromAddress: string, authservId: string | null): boolean {
  if (!authservId) return false;
  if (headerLines.filter((h) => h.key === 'from').length !== 1) return false;
  const at = fromAddress.lastIndexOf('@');
  const fromDomain = fromAddress.slice(at + 1).toLowerCase();
  if (at < 1 || fromDomain === '') return false;
  for (const h of headerLines) {
    if (h.key !== 'authentication-results') continue;
    const parsed = parseAuthResults(h.line.slice(h.line.indexOf(':') + 1));
    if (parsed.authservId !== authservId) continue;
    return parsed.results.some((r) => passes(r, fromDomain));
  }
  return false;
}
