/**
 * The names typosquatters imitate: about three hundred of the most depended-upon and most
 * downloaded npm packages, with the well-known packages whose names sit close to another's
 * (`preact`, `vuex`, `ws`), so that neither is taken for a look-alike of the other.
 * One string split at whitespace, so the list stays a few names a line.
 */
const NAMES = `
lodash react express chalk debug commander axios request moment tslib react-dom prop-types
fs-extra uuid bluebird async vue typescript core-js yargs glob minimist semver body-parser
dotenv jquery webpack classnames rxjs underscore mkdirp rimraf colors inquirer cheerio
node-fetch babel-runtime cross-env cross-spawn ms qs ws jsonwebtoken mongoose mongodb mysql
mysql2 pg redis ioredis sequelize knex socket.io socket.io-client cors morgan helmet
cookie-parser multer passport bcrypt bcryptjs nodemailer winston pino dayjs date-fns luxon
immutable redux react-redux react-router react-router-dom next nuxt angular svelte preact vuex
vue-router graphql apollo-server eslint prettier jest mocha chai sinon vitest ts-node tsx
nodemon concurrently husky lint-staged webpack-cli webpack-dev-server babel-loader css-loader
style-loader sass sass-loader postcss autoprefixer tailwindcss vite rollup esbuild parcel gulp
grunt browserify uglify-js terser less handlebars ejs pug mustache marked markdown-it
highlight.js js-yaml yaml xml2js csv-parse papaparse validator joi yup zod ajv class-validator
reflect-metadata @nestjs/core @nestjs/common koa hapi fastify hono restify superagent got
node-sass puppeteer playwright selenium-webdriver cypress electron react-native
styled-components @emotion/react @mui/material antd bootstrap d3 three chart.js echarts leaflet
socket.io-parser form-data mime mime-types content-type cookie path-to-regexp finalhandler
serve-static send http-errors statuses depd on-finished iconv-lite safe-buffer inherits
readable-stream string_decoder through2 event-stream once wrappy graceful-fs minimatch
brace-expansion balanced-match chokidar anymatch picomatch micromatch fast-glob globby ignore
supports-color has-flag ansi-styles ansi-regex strip-ansi string-width wrap-ansi
escape-string-regexp camelcase decamelize kind-of is-number isarray object-assign extend
deepmerge clone lru-cache yallist source-map source-map-support acorn esprima estraverse resolve
signal-exit which execa shelljs ora listr boxen figlet cli-table progress open portfinder
http-proxy http-proxy-middleware compression express-session connect serve-favicon jsdom
node-cron cron bull amqplib kafkajs aws-sdk firebase firebase-admin stripe twilio openai
@anthropic-ai/sdk left-pad ua-parser-js coffee-script babel-core @babel/core @babel/preset-env
@babel/runtime @types/node @types/react @typescript-eslint/parser
@typescript-eslint/eslint-plugin eslint-plugin-react eslint-config-prettier nanoid shortid
crypto-js node-forge jose sharp jimp canvas pdfkit archiver adm-zip tar yauzl busboy formidable
raw-body bytes ramda lodash.merge lodash.get underscore.string numeral big.js bignumber.js
decimal.js color colorette kleur picocolors debug-log loglevel log4js bunyan npmlog sqlite3
better-sqlite3 prisma @prisma/client typeorm mssql oracledb cassandra-driver elasticsearch
@elastic/elasticsearch ethers web3 discord.js telegraf puppeteer-core node-gyp nan bindings
prebuild-install npm yarn pnpm lerna nx turbo jsonfile json5 ini toml querystring punycode
process crypto-browserify stream-browserify
`;

export const POPULAR_PACKAGES: readonly string[] = NAMES.trim().split(/\s+/);
