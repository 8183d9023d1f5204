import { createContext, useContext } from 'react';

/** Colours by role; every one `undefined` under NO_COLOR (bold and inverse stay: they are not colour). */
export interface Theme {
  accent: string | undefined;
  ok: string | undefined;
  warn: string | undefined;
  error: string | undefined;
  dim: string | undefined;
}

export function createTheme(color: boolean): Theme {
  return color
    ? { accent: 'cyan', ok: 'green', warn: 'yellow', error: 'red', dim: 'gray' }
    : { accent: undefined, ok: undefined, warn: undefined, error: undefined, dim: undefined };
}

export const ThemeContext = createContext<Theme>(createTheme(false));

export const useTheme = (): Theme => useContext(ThemeContext);
