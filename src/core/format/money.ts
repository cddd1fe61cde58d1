/**
 * The one way Ponder writes an amount of money, in every surface (Chat footer, sidebar, status
 * bar, cost report, CLI). Pure and dependency-free so the webview bundles import it too.
 *
 *   $1,234.56   $12.34   $1.27      one dollar and up: cents
 *   $0.4874     $0.0123  $0.0069    under a dollar: up to four decimals, trailing zeros trimmed to two
 *   $0.00069    $0.000012           under a tenth of a cent: two significant digits
 *   $0.00       nothing
 * Independent of the host's locale, so tests and screenshots read the same everywhere.
 */
export function formatUsd(amount: number | null): string {
  if (amount === null) return 'price not set';
  if (!Number.isFinite(amount)) return '—';
  const sign = amount < 0 ? '-' : '';
  const a = Math.abs(amount);
  let digits: string;
  if (a === 0) digits = '0.00';
  else if (a >= 1) digits = group(a.toFixed(2));
  else if (a >= 0.001) digits = a.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1');
  else digits = a.toFixed(Math.max(4, 1 - Math.floor(Math.log10(a)))).replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${sign}$${digits}`;
}

function group(fixed: string): string {
  const [whole, cents] = fixed.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
