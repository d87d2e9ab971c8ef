"""Regenerate the sample pages saved "from an old government website" (run from this folder).

The files are committed; this script documents how they were made (encodings included).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = """<div class="header"><a href="/">兴安盟行政公署门户网站</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>"""

FOOTER = """<div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<p class="tools">【打印本页】【关闭窗口】</p>
<div class="disclaimer-note"><p>免责声明：本网站转载内容仅供参考。</p></div>
<div class="bottom-info"><p>兴安盟行政公署办公室主办 地址：乌兰浩特市兴安北大路12号 邮编：137400</p></div>
<div class="bottom"><p>版权所有：兴安盟行政公署 蒙ICP备05001234号 网站标识码：1522000001</p></div>"""


def metadata(index, number, published, written, subject="综合政务"):
    return f"""<table class="xxgk-table"><tr><td>索引号：</td><td>{index}</td><td>主题分类：</td><td>{subject}</td></tr>
<tr><td>发布机构：</td><td>兴安盟行政公署办公室</td><td>成文日期：</td><td>{written}</td></tr>
<tr><td>发文字号：</td><td>{number}</td><td>发布日期：</td><td>{published}</td></tr></table>"""


def page(title, meta, body, charset="utf-8", head_title=None):
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{head_title or title}_兴安盟行政公署</title><script>var _hmt = [];</script></head>
<body>{HEADER}
<div class="main-wrap">{meta}
<h1 class="article-title">{title}</h1>
<div class="article-content" id="zoom">{body}</div>
</div>
{FOOTER}</body></html>"""


REPEATED = "各旗县市人民政府，盟直各委办局：为进一步做好政府信息公开工作，现将有关事项通知如下。"

boilerplate_page = page(
    "关于做好2024年政府信息公开工作的通知",
    metadata("011234567/2024-00031", "兴署办发[2024]7号", "2024-03-05", "2024年3月1日"),
    f"""<p>{REPEATED}</p>
<p>一、提高思想认识。各地区各部门要把政府信息公开工作摆上重要议事日程。</p>
<p>二、加强平台建设。按照统一规范做好政府信息公开平台栏目设置。</p>
<p>{REPEATED}</p>
<div class="print-copy"><p>一、提高思想认识。各地区各部门要把政府信息公开工作摆上重要议事日程。</p></div>
<p style="text-align:right">兴安盟行政公署办公室</p>
<p style="text-align:right">2024年3月1日</p>""",
)

traditional_page = page(
    "關於進一步做好政務公開工作的通知",
    metadata(
        "011234567/2023-00012", "興署發〔2023〕12號", "2023年6月20日", "2023-06-16", "綜合政務"
    ),
    """<p>各旗縣市人民政府：為深入貫徹落實《中華人民共和國政府信息公開條例》，現就有關工作通知如下。</p>
<p>一、嚴格落實主動公開制度，及時發佈政策文件和解讀材料。</p>
<p>二、規範依申請公開辦理程序，按時答覆申請人。</p>""",
    charset="big5",
)

pinyin_page = page(
    "关于开展无障碍阅读服务的公告",
    metadata("011234567/2025-00008", "兴署办函〔2025〕8号", "2025-01-10", "2025-01-08"),
    """<p><ruby>政<rt>zhèng</rt></ruby><ruby>务<rt>wù</rt></ruby><ruby>公<rt>gōng</rt></ruby><ruby>开<rt>kāi</rt></ruby>网站已提供读屏和拼音辅助服务。</p>
<p>为(wèi)方(fāng)便(biàn)群(qún)众(zhòng)阅(yuè)读(dú)，本网站提供拼音标注。</p>
<p>政zhèng府fǔ信xìn息xī公gōng开kāi服务热线：0482-8211234，支持Excel和PDF格式下载。</p>""",
    head_title="关于开展无障碍阅读服务的公告",
)

text_page = """标题：兴安盟2024年国民经济和社会发展统计公报
索引号：011234567/2024-00120
发布机构：兴安盟统计局
发布日期：2024年4月2日
主题分类：国民经济管理、国有资产监管

2024年，全盟地区生产总值保持稳定增长。
一、农牧业生产稳中有进。
二、工业生产平稳运行。
一、农牧业生产稳中有进。
版权所有：兴安盟统计局
"""

(HERE / "pages" / "notice-2024.html").write_text(boilerplate_page, encoding="utf-8")
import opencc  # noqa: E402  (the whole saved page is in Traditional characters)

traditional_page = opencc.OpenCC("s2t").convert(traditional_page)
(HERE / "pages" / "traditional.html").write_bytes(traditional_page.encode("big5hkscs"))
(HERE / "pages" / "reading-aid.html").write_text(pinyin_page, encoding="utf-8")
(HERE / "pages" / "statistics.txt").write_bytes(text_page.encode("gb18030"))

good = page(
    "关于公布2024年行政事业性收费目录的通知",
    metadata("011234567/2024-00050", "兴署办发〔2024〕20号", "2024-05-06", "2024-05-01"),
    "<p>现将本盟行政事业性收费目录清单予以公布，请遵照执行。</p>",
)
broken = (
    page(
        "关于调整办公时间的通知",
        metadata("011234567/2024-00051", "", "2024-05-07", "2024-05-07"),
        "<p>自即日起，夏季办公时间调整为上午8:30至12:00，下午15:00至18:00。BROKEN</p>",
    )
    .encode("utf-8")
    .replace(b"BROKEN", b"\xff\xfe\xfa")
)
(HERE / "bad_pages" / "good.html").write_text(good, encoding="utf-8")
(HERE / "bad_pages" / "broken.html").write_bytes(broken)

# --- tables ---------------------------------------------------------------------------------------

(HERE / "attachments").mkdir(exist_ok=True)
(HERE / "attachments" / "notice.pdf").write_bytes(
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
(HERE / "attachments" / "fake.pdf").write_bytes(b"MZ this is not a pdf")

HEADER_ROW = [
    "机构编码", "栏目", "标题", "发文字号", "索引号", "主题分类", "信息类别", "成文日期",
    "发布日期", "有效性", "废止日期", "废止文件", "文件类型", "内容概述", "正文", "附件",
]  # fmt: skip
ROWS = [
    ["152200", "policies", "兴安盟行政公署关于印发政府信息公开工作规则的通知", "兴署发〔2023〕5号",
     "", "综合政务", "art20-01", "2023-02-10", "2023-02-15", "现行有效", "", "", "行政规范性文件",
     "明确政府信息公开工作规则。", "<p>各旗县市人民政府：现将《政府信息公开工作规则》印发给你们。</p>",
     "attachments/notice.pdf"],
    ["152200", "通知公告", "关于2023年春节放假安排的通知", "兴署办发[2023]1号", "", "综合政务", "",
     "2023年1月5日", "2023/1/6", "", "", "", "", "", "春节放假安排如下：1月21日至27日放假调休。", ""],
    ["152200", "policies", "兴安盟政府信息公开暂行办法", "兴署发〔2020〕9号", "011234567/2020-00003",
     "综合政务", "", "2020-05-01", "2020-05-06", "已废止", "2023-02-15", "兴署发〔2023〕5号",
     "行政规范性文件", "", "<p>第一条 为规范政府信息公开工作，制定本办法。</p>", ""],
]  # fmt: skip
with open(HERE / "catalogue.csv", "w", encoding="utf-8-sig", newline="") as handle:
    import csv

    writer = csv.writer(handle)
    writer.writerow(HEADER_ROW)
    writer.writerows(ROWS)

from openpyxl import Workbook  # noqa: E402

workbook = Workbook()
sheet = workbook.active
sheet.title = "主动公开目录"
sheet.append(HEADER_ROW)
import datetime as dt  # noqa: E402

for row in ROWS:
    values = list(row)
    values[8] = (
        dt.date.fromisoformat(values[8].replace("/", "-")) if "-" in values[8] else values[8]
    )
    sheet.append(values)
workbook.save(HERE / "catalogue.xlsx")

BAD_ROWS = [
    ["152200", "policies", "一份正确的文件", "兴署发〔2024〕3号", "", "", "", "2024-01-02",
     "2024-01-03", "", "", "", "", "", "正文。", ""],
    ["152200", "policies", "日期写错的文件", "", "", "", "", "", "2024-13-01", "", "", "", "", "",
     "正文。", ""],
    ["152200", "不存在的栏目", "栏目写错的文件", "", "", "", "", "", "2024-01-05", "", "", "", "",
     "", "正文。", ""],
    ["152200", "policies", "文号写错的文件", "第7号", "", "", "", "", "2024-01-06", "", "", "", "",
     "", "正文。", ""],
    ["152200", "policies", "附件不真实的文件", "", "", "", "", "", "2024-01-07", "", "", "", "", "",
     "正文。", "attachments/fake.pdf"],
]  # fmt: skip
with open(HERE / "bad.csv", "w", encoding="utf-8-sig", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(HEADER_ROW)
    writer.writerows(BAD_ROWS)
