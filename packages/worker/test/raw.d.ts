/** Vite's ?raw import: a file's text (test/views.test.ts reads a source file so, workerd having no file system). */
declare module '*?raw' {
  const text: string;
  export default text;
}
