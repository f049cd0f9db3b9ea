# syntax=docker/dockerfile:1
# The production image: compiled JavaScript on the current Node LTS, run as the unprivileged `node`
# user under tini. It expects a real MongoDB in MONGODB_URI (see docker-compose*.yml); the local
# FerretDB launcher is for development and is not shipped (no Go, no tools/).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# i18next names TypeScript as an optional peer, so `--omit=dev` keeps its 23 MB: remove it by hand.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver
# The font packages hold 83 MB of cuts; certificates print with these ten files only
# (src/features/certificates/certificate-fonts.ts; a test keeps this list and that file in step).
RUN find node_modules/@embedpdf/fonts-latin/fonts node_modules/@embedpdf/fonts-arabic/fonts node_modules/@embedpdf/fonts-sc/fonts \
      node_modules/@embedpdf/fonts-hebrew/fonts node_modules/@embedpdf/fonts-kr/fonts \
      -type f \
      ! -name NotoSans-Regular.ttf ! -name NotoSans-Bold.ttf \
      ! -name NotoNaskhArabic-Regular.ttf ! -name NotoNaskhArabic-Bold.ttf \
      ! -name NotoSansHebrew-Regular.ttf ! -name NotoSansHebrew-Bold.ttf \
      ! -name NotoSansHans-Regular.otf ! -name NotoSansHans-Bold.otf \
      ! -name NotoSansKR-Regular.otf ! -name NotoSansKR-Bold.otf \
      -delete

FROM node:24-bookworm-slim
# tini is PID 1: it forwards SIGTERM to Node (which drains, then exits) and reaps orphans, also
# under a plain `docker run` without --init.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
# Root owns the code (the app cannot rewrite itself); `node` owns only DATA_DIR.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY locales ./locales
COPY modules ./modules
COPY public ./public
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/server.js"]
