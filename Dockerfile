# commune-feed in a container: `docker build -t commune-feed .` then see compose.yaml.
# Build stage: compiles the widget and the server and packs them (npm pack), then installs
# that package into /app with docker/install.sh, the same script the tests run.
FROM node:20-bookworm AS build
# Node's headers are in the image: node-gyp needs no download to build better-sqlite3.
ENV npm_config_nodedir=/usr/local
WORKDIR /src
COPY package.json package-lock.json ./
# The build needs no native addon: better-sqlite3 is compiled once, by install.sh, for /app.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm pack --pack-destination /tmp \
  && sh docker/install.sh /tmp/commune-feed-*.tgz /app \
  && rm -rf /root/.npm

# Run stage: Node and /app only, as the unprivileged user `node`.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    PATH=/app/node_modules/.bin:$PATH
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /app
# The SQLite file, its write-ahead log and the image cache: keep them on a volume.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: viewers are told to reconnect, in-flight writes finish, the database closes.
STOPSIGNAL SIGTERM
CMD ["commune-feed"]
