/**
 * The few icons the sidebar needs, as inline SVG in codicon style (16px grid, currentColor).
 * Cheaper than shipping the codicon font and stylesheet (~80 KB) for a dozen glyphs.
 */
const PATHS: Record<string, string> = {
  running: 'M8 1.5a6.5 6.5 0 1 0 6.5 6.5h-1.5A5 5 0 1 1 8 3V1.5z',
  done: 'M6.3 11.3 2.7 7.7l1-1 2.6 2.6 6-6 1 1-7 7z',
  error: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.75 10.5h-1.5V10h1.5v1.5zm0-3h-1.5v-4h1.5v4z',
  cancelled: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM3 8a5 5 0 0 1 8.05-3.96l-7 7A4.98 4.98 0 0 1 3 8zm5 5a4.98 4.98 0 0 1-3.05-1.04l7-7A5 5 0 0 1 8 13z',
  stop: 'M4 4h8v8H4z',
  rerun: 'M12.7 3.3A6.5 6.5 0 1 0 14.5 8H13a5 5 0 1 1-1.4-3.5L9.5 6.5H14V2l-1.3 1.3z',
  copy: 'M4 4V1.5h10.5V12H12v2.5H1.5V4H4zm1.5 0H12v6.5h1V3H5.5v1zM3 5.5V13h7.5V5.5H3z',
  export: 'M8 1 4.5 4.5l1 1L7.3 3.7V10h1.4V3.7l1.8 1.8 1-1L8 1zM2 9h1.5v4.5h9V9H14v6H2V9z',
  trash: 'M6 1.5h4V3h3.5v1.5h-1V14a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1V4.5h-1V3H6V1.5zM5 4.5V13.5h6V4.5H5zm1 1.5h1.3v6H6V6zm2.7 0H10v6H8.7V6z',
  key: 'M10.5 1a4.5 4.5 0 0 0-4.3 5.8L1 12v3h3v-1.5h1.5V12H7l1.2-1.2A4.5 4.5 0 1 0 10.5 1zm1 4.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2z',
  gear: 'M9.1 1h-2.2l-.4 1.9-1.2.7-1.8-.7-1.1 1.9 1.4 1.3v1.4l-1.4 1.3 1.1 1.9 1.8-.7 1.2.7.4 1.9h2.2l.4-1.9 1.2-.7 1.8.7 1.1-1.9-1.4-1.3V6.9l1.4-1.3-1.1-1.9-1.8.7-1.2-.7L9.1 1zM8 10.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z',
  file: 'M3 1h6.5L13 4.5V15H3V1zm1.5 1.5v11h7V5.5H8.5v-3h-4z',
  tool: 'M13.9 3.4 11.6 5.7l-1.3-1.3 2.3-2.3a3.5 3.5 0 0 0-4.5 4.4L2 12.6 3.4 14l6.1-6.1a3.5 3.5 0 0 0 4.4-4.5z',
  warning: 'M8 1 .5 14.5h15L8 1zm.75 11.5h-1.5V11h1.5v1.5zm0-2.5h-1.5V6h1.5v4z',
  add: 'M7.25 2h1.5v5.25H14v1.5H8.75V14h-1.5V8.75H2v-1.5h5.25V2z',
  server: 'M2 2h12v5H2V2zm1.5 1.5v2h9v-2h-9zM2 9h12v5H2V9zm1.5 1.5v2h9v-2h-9zM4.5 4h1.5v1H4.5V4zm0 7h1.5v1H4.5v-1z',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name, label, spin }: { name: IconName; label?: string; spin?: boolean }) {
  return (
    <svg class={`icon${spin ? ' spin' : ''}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden={label ? undefined : 'true'} role={label ? 'img' : undefined} aria-label={label}>
      <path fill="currentColor" fill-rule="evenodd" d={PATHS[name]} />
    </svg>
  );
}
