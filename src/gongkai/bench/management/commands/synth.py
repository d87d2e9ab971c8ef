"""``gongkai synth``: fill the database with reproducible synthetic data (see gongkai.synth)."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from gongkai.synth.generator import SynthConfig, existing_data, generate, synth_present

LABELS = {
    "agencies": "机构",
    "documents": "主动公开文件",
    "search_index": "整理检索索引",
    "requests": "依申请公开申请",
}


class Command(BaseCommand):
    help = "生成可复现的合成数据（机构树、主动公开文件、依申请公开申请），用于性能测试。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agencies", type=int, default=2000)
        parser.add_argument("--documents", type=int, default=1_000_000)
        parser.add_argument("--requests", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--force",
            action="store_true",
            help="数据库中已有非合成数据时仍然写入（合成数据与真实数据将混在一起）。",
        )
        parser.add_argument("--quiet", action="store_true", help="不显示进度。")

    def handle(self, *args, **options) -> None:
        for name in ("agencies", "documents", "requests", "batch"):
            if options[name] < (1 if name in ("agencies", "batch") else 0):
                raise CommandError(f"--{name} 的值不正确：{options[name]}。")
        if synth_present():
            raise CommandError(
                "数据库中已有合成数据（机构编码以 synth- 开头）。请先清空数据库（gongkai flush）"
                "再生成，以免编码冲突。"
            )
        existing = existing_data()
        if any(existing.values()) and not options["force"]:
            raise CommandError(
                "数据库中已有非合成数据（机构{agencies}个、文件{documents}件、申请{requests}件），"
                "为避免把合成数据混入真实数据，已拒绝执行。确需写入请加 --force。".format(
                    **existing
                )
            )
        config = SynthConfig(
            agencies=options["agencies"],
            documents=options["documents"],
            requests=options["requests"],
            seed=options["seed"],
            batch=options["batch"],
        )
        started = time.perf_counter()
        stream = sys.stderr
        show = not options["quiet"]

        def progress(part: str, done: int, total: int) -> None:
            if not show:
                return
            elapsed = time.perf_counter() - started
            percent = 100 * done / total if total else 100
            stream.write(
                f"\r{LABELS[part]} {done:,}/{total:,} ({percent:5.1f}%)  已用 {elapsed:6.1f} 秒"
            )
            if done >= total:
                stream.write("\n")
            stream.flush()

        stats = generate(config, progress)
        total = time.perf_counter() - started
        self.stdout.write(
            f"已生成：机构 {stats.agencies} 个，文件 {stats.documents} 件，申请 {stats.requests} 件"
            f"（办理记录 {stats.events} 条，复议诉讼 {stats.appeals} 件），用时 {total:.1f} 秒"
            f"（机构 {stats.seconds['agencies']:.1f}、文件 {stats.seconds['documents']:.1f}、"
            f"申请 {stats.seconds['requests']:.1f}）。"
        )
        if stats.clock_fallbacks:
            self.stderr.write(f"警告：{stats.clock_fallbacks} 件申请的办理过程被改为仅收到申请。")
