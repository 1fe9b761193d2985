/**
 * Checkout store: cart state, pricing and submission for the web client.
 *
 * A representative TypeScript module for the extraction benchmark: named,
 * default, namespace and type-only imports, re-exports, a dynamic import and
 * a CommonJS require, among generics, classes, unions and async code.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { z } from 'zod';
import debounce from 'lodash/debounce';
import * as api from '../api/client';
import { formatMoney, parseMoney, type Money } from '@shop/money';
import type { Customer, Address } from '@shop/types';
import { type Sku, type Line } from './model';
import { track } from '../analytics';
import { logger } from '#internal/logger';
import './checkout.css';

export { formatMoney } from '@shop/money';
export type { Line, Sku } from './model';
export * from './errors';

const legacyTax = require('./legacy/tax');

const LineSchema = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPrice: z.string(),
});

export const CartSchema = z.object({
  lines: z.array(LineSchema).max(250),
  coupon: z.string().optional(),
});

export type CartInput = z.infer<typeof CartSchema>;

export type CheckoutState =
  | { kind: 'idle' }
  | { kind: 'pricing'; requestId: number }
  | { kind: 'ready'; total: Money; tax: Money }
  | { kind: 'submitting'; orderId?: string }
  | { kind: 'failed'; error: string };

export interface Checkout {
  customer: Customer | null;
  shipping: Address | null;
  lines: Line[];
  coupon: string | undefined;
  state: CheckoutState;
  add(sku: Sku, quantity?: number): void;
  remove(sku: Sku): void;
  setQuantity(sku: Sku, quantity: number): void;
  applyCoupon(code: string): Promise<void>;
  submit(): Promise<string>;
}

let nextRequest = 0;

function totalOf(lines: readonly Line[]): Money {
  return lines.reduce<Money>((sum, line) => sum.add(line.unitPrice.times(line.quantity)), parseMoney('0.00'));
}

function upsert(lines: Line[], sku: Sku, delta: number): Line[] {
  const found = lines.find((l) => l.sku === sku);
  if (!found) {
    return delta > 0 ? [...lines, { sku, quantity: delta, unitPrice: parseMoney('0.00') }] : lines;
  }
  return lines
    .map((l) => (l.sku === sku ? { ...l, quantity: l.quantity + delta } : l))
    .filter((l) => l.quantity > 0);
}

export class PricingError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PricingError';
  }
}

export function createCheckout(initial: Partial<Checkout> = {}): StoreApi<Checkout> {
  const store = createStore<Checkout>()((set, get) => ({
    customer: null,
    shipping: null,
    lines: [],
    coupon: undefined,
    state: { kind: 'idle' },
    ...initial,
    add(sku, quantity = 1) {
      set({ lines: upsert(get().lines, sku, quantity) });
      track('cart.add', { sku, quantity });
      reprice();
    },
    remove(sku) {
      set({ lines: get().lines.filter((l) => l.sku !== sku) });
      reprice();
    },
    setQuantity(sku, quantity) {
      const current = get().lines.find((l) => l.sku === sku)?.quantity ?? 0;
      set({ lines: upsert(get().lines, sku, quantity - current) });
      reprice();
    },
    async applyCoupon(code) {
      const { valid } = await api.post<{ valid: boolean }>('/coupons/check', { code });
      if (!valid) {
        throw new PricingError(`coupon ${code} is not valid`, false);
      }
      set({ coupon: code });
      reprice();
    },
    async submit() {
      const { lines, coupon, customer } = get();
      const parsed = CartSchema.safeParse({ lines: lines.map((l) => ({ ...l, unitPrice: formatMoney(l.unitPrice) })), coupon });
      if (!parsed.success || !customer) {
        set({ state: { kind: 'failed', error: parsed.success ? 'sign in first' : parsed.error.message } });
        throw new PricingError('cart is not valid', false);
      }
      set({ state: { kind: 'submitting' } });
      const { orderId } = await api.post<{ orderId: string }>('/orders', parsed.data);
      set({ state: { kind: 'submitting', orderId } });
      const { confetti } = await import('../effects/confetti');
      confetti();
      return orderId;
    },
  }));

  const reprice = debounce(async () => {
    const requestId = ++nextRequest;
    store.setState({ state: { kind: 'pricing', requestId } });
    try {
      const lines = store.getState().lines;
      const quote = await api.post<{ total: string; tax: string }>('/pricing/quote', {
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        coupon: store.getState().coupon,
      });
      const current = store.getState().state;
      if (current.kind === 'pricing' && current.requestId === requestId) {
        const tax = legacyTax.adjust(parseMoney(quote.tax));
        store.setState({ state: { kind: 'ready', total: parseMoney(quote.total), tax } });
      }
    } catch (e) {
      logger.warn('pricing failed', e);
      const local = totalOf(store.getState().lines);
      store.setState({ state: { kind: 'ready', total: local, tax: parseMoney('0.00') } });
    }
  }, 150);

  return store;
}

export default createCheckout;
