// SVG files imported as strings (the JupyterLab builder's webpack rule for .svg from .js).
declare module '*.svg' {
  const svg: string;
  export default svg;
}
