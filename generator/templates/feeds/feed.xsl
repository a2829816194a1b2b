<?xml version="1.0" encoding="UTF-8"?>
<!-- 科协申报指南: shows feed.xml as a readable page in a browser (feed readers ignore it).
     Local styles only; the page requests nothing from other hosts. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/atom:feed">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/>（订阅源）</title>
        <style>
          body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
                 max-width: 46rem; margin: 0 auto; padding: 1rem; line-height: 1.7; color: #222; }
          .about { background: #eef2fb; border: 1px solid #c5d0ee; border-radius: .3rem; padding: .6rem .9rem; }
          .about code { word-break: break-all; }
          h1 { font-size: 1.4rem; margin: .4rem 0; }
          article { border-bottom: 1px solid #ddd; padding: .6rem 0; }
          h2 { font-size: 1.05rem; margin: .2rem 0; }
          .meta { color: #595959; font-size: .85rem; }
          a { color: #1a4fb4; }
        </style>
      </head>
      <body>
        <p class="about">这是<strong>订阅源</strong>（Atom）：把本页地址
          <xsl:if test="atom:link[@rel='self']"><code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></xsl:if>
          复制到阅读器（如 Feedly、Inoreader、NetNewsWire）中订阅，即可收到新通知和更正。
          <a href="./">返回科协申报指南首页</a></p>
        <h1><xsl:value-of select="atom:title"/></h1>
        <p class="meta"><xsl:value-of select="atom:subtitle"/>；更新于
          <xsl:value-of select="substring(atom:updated, 1, 10)"/></p>
        <xsl:for-each select="atom:entry">
          <article>
            <h2><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
            <p class="meta"><xsl:value-of select="substring(atom:updated, 1, 10)"/>
              <xsl:for-each select="atom:category">　<xsl:value-of select="@label"/></xsl:for-each></p>
          </article>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
