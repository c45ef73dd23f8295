export interface IconSpec {
  file: string;
  size: number;
  art: number;
}
export const MANIFEST_ICONS: IconSpec[];
export const STORE_ICONS: IconSpec[];
export function renderIcons(outDir: string, icons: IconSpec[]): Promise<void>;
