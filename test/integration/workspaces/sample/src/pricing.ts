export type Discount = { kind: 'percent'; value: number } | { kind: 'fixed'; value: number };

/** Applies a discount; the total never goes below zero. */
export function applyDiscount(amount: number, discount: Discount): number {
  const reduced = discount.kind === 'percent' ? amount * (1 - discount.value / 100) : amount - discount.value;
  return Math.max(0, Math.round(reduced * 100) / 100);
}
