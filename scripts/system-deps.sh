#!/usr/bin/env bash
# Debian packages the suite and the renderers need: chromium (browser tests), Noto CJK and
# Noto Mongolian fonts (PDFs, vertical Mongolian), poppler-utils (PDF checks), postgresql,
# nginx (tests/deploy/test_nginx.py runs deploy/nginx/gongkai.conf).
# Installs what is missing when run as root; otherwise says what to install and fails.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -q "Noto Sans Mongolian" || need+=(fonts-noto-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${need[*]}。请以 root 运行：apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "安装系统软件包：${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
