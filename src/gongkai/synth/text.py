"""Generated Chinese text for synthetic data: a seeded word list, titles and bodies.

The vocabulary is a fixed list of government-document words plus words drawn (with the seed) from
a fixed set of common characters, so every run with the same seed writes the same text, and the
text has the character statistics search cares about (many distinct bigrams and trigrams).
"""

from __future__ import annotations

import itertools
import random

#: Words common in government documents (fixed; the seeded words are added to them).
GOVERNMENT_WORDS = (
    "关于 印发 通知 实施 方案 意见 办法 规定 决定 公告 通告 报告 工作 管理 加强 推进 建设 发展 "
    "改革 开展 做好 进一步 全面 深化 落实 完善 制度 机制 体系 服务 保障 安全 生产 监督 检查 "
    "考核 评估 项目 资金 预算 决算 财政 税收 教育 卫生 健康 医疗 养老 就业 社会 保险 住房 "
    "城乡 规划 土地 自然 资源 生态 环境 保护 治理 水利 农业 牧区 草原 林业 畜牧 乡村 振兴 "
    "交通 运输 道路 公路 铁路 能源 电力 煤炭 工业 企业 营商 市场 价格 质量 标准 统计 审计 "
    "民族 团结 文化 旅游 体育 科技 创新 数字 政务 公开 信息 数据 平台 系统 应急 防汛 抗旱 "
    "消防 疫情 防控 民政 救助 残疾人 妇女 儿童 退役 军人 人才 招聘 公示 名单 结果 年度 计划 "
    "总结 情况 政策 解读 标准化 规范化 网格化 基层 街道 社区 嘎查 苏木 旗县 盟市 自治区"
).split()

#: Common characters the seeded words are made of.
COMMON_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质集济林草牧盟旗镇乡村户粮"
)

NUMERALS = "一二三四五六七八九十"
TITLE_LEADS = ("关于", "关于", "", "", "印发")
TITLE_TAILS = ("的通知", "的实施方案", "的意见", "的公告", "情况", "的报告", "办法")
ENDINGS = "。。。；！"


#: Words in the seeded stream that phrases are cut from (2**18: phrases are practically never
#: repeated, and the stream takes a fraction of a second to draw).
STREAM_WORDS = 1 << 18

#: Characters that would need escaping in HTML: the vocabulary never contains them.
_HTML_SPECIAL = set("<>&\"'")


class TextGenerator:
    """Seeded generator of titles, summaries and bodies in Chinese.

    Words are drawn once, with Zipf-like weights, into a long stream; a phrase of ``n`` words is
    the slice of the stream starting at a random word. That gives the text the statistics of
    words drawn one by one (the stream is drawn that way) at the cost of two random numbers per
    phrase, which is what lets ``gongkai synth`` write a million documents in minutes. The same
    seed gives the same stream, so the same calls with equally seeded ``rng`` give the same text.
    """

    def __init__(self, seed: int, *, extra_words: int = 2000, stream_words: int = STREAM_WORDS):
        rng = random.Random(f"gongkai-synth-words-{seed}")
        made: set[str] = set()
        while len(made) < extra_words:
            length = rng.choice((2, 2, 2, 3, 3, 4))
            made.add("".join(rng.choice(COMMON_CHARS) for _i in range(length)))
        self.words: list[str] = list(GOVERNMENT_WORDS) + sorted(made)
        # Zipf-like weights: a few words are frequent, most are rare (like real text).
        self.weights: list[float] = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.words))]
        order = list(range(len(self.words)))
        rng.shuffle(order)
        self.words = [self.words[i] for i in order]
        self.cum_weights: list[float] = list(itertools.accumulate(self.weights))
        drawn = rng.choices(self.words, cum_weights=self.cum_weights, k=stream_words)
        self.stream: str = "".join(drawn)
        #: ``offsets[i]`` is where word ``i`` of the stream starts (one more for the end).
        self.offsets: list[int] = [0, *itertools.accumulate(len(w) for w in drawn)]
        assert not _HTML_SPECIAL & set(self.stream), "the vocabulary must not need HTML escaping"

    def phrase(self, rng: random.Random, n_words: int) -> str:
        """``n_words`` consecutive words of the stream from a random place."""
        first = int(rng.random() * (len(self.offsets) - n_words))
        return self.stream[self.offsets[first] : self.offsets[first + n_words]]

    def title(self, rng: random.Random) -> str:
        random = rng.random
        lead = TITLE_LEADS[int(random() * len(TITLE_LEADS))]
        tail = TITLE_TAILS[int(random() * len(TITLE_TAILS))]
        return (lead + self.phrase(rng, 3 + int(random() * 7)) + tail)[:300]

    def paragraph(self, rng: random.Random) -> str:
        random = rng.random
        stream, offsets = self.stream, self.offsets
        last = len(offsets) - 15
        parts = []
        for _i in range(1 + int(random() * 3)):
            first = int(random() * last)
            parts.append(stream[offsets[first] : offsets[first + 5 + int(random() * 10)]])
            parts.append(ENDINGS[int(random() * len(ENDINGS))])
        return "".join(parts)

    def body(self, rng: random.Random) -> list[str]:
        """Paragraphs of varied length: most documents short, a long tail of long ones."""
        count = min(40, max(1, int(rng.lognormvariate(1.6, 0.8))))
        paragraph = self.paragraph
        paragraphs = [paragraph(rng) for _i in range(count)]
        if rng.random() < 0.3:
            paragraphs.insert(0, f"{NUMERALS[int(rng.random() * 10)]}、{self.phrase(rng, 3)}")
        return paragraphs

    def place(self, rng: random.Random) -> str:
        return "".join(rng.choice(COMMON_CHARS) for _i in range(rng.choice((2, 2, 3))))
