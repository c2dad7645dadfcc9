/** Currencies and amounts: which currencies, the minimum and maximum charge, and `money()`. */
import { badRequest } from "./errors.js";
import { int, type Params, requireParam, str } from "./params.js";

const CURRENCIES = [
  "usd",
  "eur",
  "gbp",
  "jpy",
  "cad",
  "aud",
  "chf",
  "sek",
  "nok",
  "dkk",
  "pln",
  "czk",
  "huf",
  "nzd",
  "sgd",
  "hkd",
  "mxn",
  "brl",
  "inr",
  "krw",
  "cny",
  "zar",
  "aed",
  "ils",
  "thb",
  "try",
  "ron",
  "bgn",
  "myr",
  "php",
  "idr",
  "twd",
];
const ZERO_DECIMAL = ["jpy", "krw", "twd", "huf"];
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, jpy: 50, cad: 50, aud: 50 };
const SYMBOL: Record<string, string> = {
  usd: "$",
  eur: "€",
  gbp: "£",
  jpy: "¥",
  cad: "$",
  aud: "$",
};

/** `$10.00`, `€0.50`, `¥500`: amounts the way Stripe's messages write them. */
export function money(amount: number, currency: string): string {
  const symbol = SYMBOL[currency] ?? `${currency.toUpperCase()} `;
  return ZERO_DECIMAL.includes(currency)
    ? `${symbol}${amount}`
    : `${symbol}${(amount / 100).toFixed(2)}`;
}

export function currencyParam(params: Params, required: boolean): string | undefined {
  if (required) requireParam(params, "currency");
  const value = str(params, "currency")?.toLowerCase();
  if (value !== undefined && !CURRENCIES.includes(value)) {
    throw badRequest(
      `Invalid currency: ${value}. Stripe currently supports these currencies: ${CURRENCIES.join(", ")}`,
      "currency",
    );
  }
  return value;
}

export function amountParam(params: Params, name: string, currency: string): number | undefined {
  const amount = int(params, name);
  if (amount === undefined) return undefined;
  const minimum = MINIMUM[currency] ?? 50;
  if (amount < minimum) {
    throw badRequest(
      `Amount must be at least ${money(minimum, currency)} ${currency}`,
      name,
      "amount_too_small",
    );
  }
  if (amount > 99_999_999) {
    throw badRequest(
      `Amount must be no more than ${money(99_999_999, currency)}`,
      name,
      "amount_too_large",
    );
  }
  return amount;
}
