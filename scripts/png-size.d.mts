export function pngSize(png: Buffer): { width: number; height: number } | null;
