import { applyDiscount, type Discount } from './pricing';
import { formatPrice } from './format';

export interface Item {
  sku: string;
  name: string;
  unitPrice: number;
  quantity: number;
}

export class Cart {
  private readonly items: Item[] = [];

  add(item: Item): void {
    const existing = this.items.find((i) => i.sku === item.sku);
    if (existing) existing.quantity += item.quantity;
    else this.items.push({ ...item });
  }

  remove(sku: string): void {
    const index = this.items.findIndex((i) => i.sku === sku);
    // Bug on purpose: splice(-1) removes the last item when the sku is unknown.
    this.items.splice(index, 1);
  }

  subtotal(): number {
    return this.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
  }

  total(discount?: Discount): number {
    return discount ? applyDiscount(this.subtotal(), discount) : this.subtotal();
  }

  summary(discount?: Discount): string {
    return `${this.items.length} items, total ${formatPrice(this.total(discount))}`;
  }
}
