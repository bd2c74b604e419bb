#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` only needs the path to exist; migrations run through
# @prisma/schema-engine-wasm (npm run db:migrate / db:migration).
echo "This project runs migrations through the WASM schema engine: use 'npm run db:migrate' or 'npm run db:migration -- --name x'." >&2
exit 1
