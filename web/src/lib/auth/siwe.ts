// Sign-In with Ethereum (EIP-4361) against the browser wallet (EIP-1193 `window.ethereum`).
import { getAddress } from "viem";
import { auth } from "./accounts";

interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** The injected browser wallet, or null when there is none. */
export function browserWallet(): Eip1193Provider | null {
  if (typeof window === "undefined") return null;
  const candidate = (window as unknown as { ethereum?: Partial<Eip1193Provider> }).ethereum;
  return candidate && typeof candidate.request === "function" ? (candidate as Eip1193Provider) : null;
}

export interface SiweFields {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
}

/** The EIP-4361 message text, field by field as the spec orders them. */
export function buildSiweMessage(f: SiweFields): string {
  const lines = [
    `${f.domain} wants you to sign in with your Ethereum account:`,
    f.address,
    "",
    f.statement,
    "",
    `URI: ${f.uri}`,
    "Version: 1",
    `Chain ID: ${f.chainId}`,
    `Nonce: ${f.nonce}`,
    `Issued At: ${f.issuedAt}`,
  ];
  if (f.expirationTime) lines.push(`Expiration Time: ${f.expirationTime}`);
  return lines.join("\n");
}

function utf8Hex(text: string): string {
  return `0x${Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Asks the wallet for an account, builds a message with a fresh server nonce and has the wallet sign it. */
export async function signSiweMessage(statement: string): Promise<{ message: string; signature: string }> {
  const wallet = browserWallet();
  if (!wallet) throw new Error("No browser wallet found. Install one (e.g. MetaMask) and reload.");
  const accounts = (await wallet.request({ method: "eth_requestAccounts" })) as string[];
  if (!Array.isArray(accounts) || accounts.length === 0) throw new Error("The wallet shared no account.");
  const address = getAddress(accounts[0]);
  const chainHex = (await wallet.request({ method: "eth_chainId" })) as string;
  const { nonce } = await auth.siweNonce();
  const now = new Date();
  const message = buildSiweMessage({
    domain: window.location.host,
    address,
    statement,
    uri: window.location.origin,
    chainId: Number.parseInt(chainHex, 16) || 1,
    nonce,
    issuedAt: now.toISOString(),
    expirationTime: new Date(now.getTime() + 10 * 60_000).toISOString(),
  });
  const signature = (await wallet.request({
    method: "personal_sign",
    params: [utf8Hex(message), address],
  })) as string;
  return { message, signature };
}

/** A wallet error (user rejected, etc.) as a sentence. */
export function describeWalletError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code === 4001) return "You cancelled the request in your wallet.";
  return typeof e?.message === "string" ? e.message : "The wallet request failed.";
}
