// ESLint flat config. Type-aware rules (Pulumi Output misuse, floating promises) run on the code that
// builds resources; the rest of the tree gets the fast syntactic rules.
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

module.exports = tseslint.config(
  { ignores: ["node_modules/", "out/", "bin/", ".tools/", "scratch/", "coverage/", "**/*.js", "!eslint.config.js"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "prefer-const": "error",
      "no-restricted-syntax": [
        "error",
        {
          // `x || default` silently replaces legitimate false/0/"" config values (design card anti-pattern).
          selector: "LogicalExpression[operator='||'][right.type='Literal'][right.value=true]",
          message: "`x || true` can never be false: use `x ?? true`.",
        },
      ],
    },
  },
  {
    files: ["infra/**/*.ts", "stacks/**/*.ts"],
    ignores: ["**/*.test.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-base-to-string": "error",
    },
  },
  {
    files: ["eslint.config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
